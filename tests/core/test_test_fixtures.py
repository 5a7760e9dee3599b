"""The shared test fixtures do what the suite relies on: the clock stands where put and is let go,
and staff_of gives a member for every position of a pack with that position's permissions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.fixtures import FrozenClock, staff_of

from kefu.core import clock
from kefu.core.packs import get_pack


def test_travel_holds_the_clock_at_ten_in_shanghai_and_release_lets_go():
    held = FrozenClock()
    try:
        held.travel(date(2026, 3, 2))
        assert clock.now() == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
        held.travel(date(2026, 12, 31))
        assert clock.today_in("Asia/Shanghai") == date(2026, 12, 31)
        held.travel(datetime(2026, 3, 1, 20, 0, tzinfo=UTC))
        assert clock.today_in("Asia/Shanghai") == date(2026, 3, 2)
    finally:
        held.release()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)  # the real clock again


@pytest.mark.parametrize("kind", ["insurance", "property"])
async def test_staff_of_has_every_position_of_the_pack(app, kind):
    pack = get_pack(kind)
    staff = await staff_of(kind)
    contexts = await staff.contexts()
    assert set(contexts) == set(pack.positions)
    for code, ctx in contexts.items():
        assert ctx.tenant.id == staff.tenant.id
        assert ctx.permissions == frozenset(pack.positions[code].permissions)
