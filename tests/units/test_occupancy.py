"""Occupancy by hand: renovation begins and ends with a reason; the history says who, when,
why; a change the rules do not allow, or without a reason, is a field error that writes nothing."""

from __future__ import annotations

import pytest

from kefu.core.errors import Refused
from kefu.units import services
from kefu.units.tables import OccupancyChange
from tests.units import factories
from tests.units.support import count, field_invalid, reload


async def test_renovation_begins_and_ends_with_history(estate):
    u = await factories.unit(estate.tenant)
    client = await estate.client("desk")
    made = await client.post(estate.url(f"/{u.id}/occupancy"), {"occupancy": "renovation", "reason": "厨房改造"})
    assert made.status_code == 303
    assert (await reload(estate.tenant, u.id)).occupancy == "renovation"
    await client.post(estate.url(f"/{u.id}/occupancy"), {"occupancy": "vacant", "reason": "完工验收"})
    page = await client.get(estate.url(f"/{u.id}"))
    history = page.text.split('id="occupancy-history"')[1]
    assert history.index("完工验收") < history.index("厨房改造")  # newest first
    assert "Desk 员工" in history


@pytest.mark.parametrize("data", [
    {"occupancy": "let", "reason": "x"},  # occupied only by a move-in
    {"occupancy": "renovation", "reason": ""},
    {"occupancy": "renovation", "reason": "x\x00"},
    {"occupancy": "<script>", "reason": "x"},
])
async def test_a_refused_change_writes_nothing(estate, data):
    u = await factories.unit(estate.tenant)
    page = await (await estate.client("desk")).post(estate.url(f"/{u.id}/occupancy"), data)
    assert page.status_code == 422
    assert field_invalid(page.text, "occupancy" if data["reason"] == "x" else "reason")
    assert (await reload(estate.tenant, u.id)).occupancy == "vacant"
    assert await count(estate.tenant, OccupancyChange) == 0


async def test_record_change_refuses_what_the_step_may_not_do(estate):
    from kefu.db import transaction

    u = await factories.unit(estate.tenant, occupancy="let")
    with pytest.raises(Refused):
        async with transaction(estate.tenant.id):
            await services.record_change(estate.tenant.id, None, u, "owner_occupied", "move_in", "")
    async with transaction(estate.tenant.id):
        await services.record_change(estate.tenant.id, None, u, "vacant", "move_out", "")
    assert (await reload(estate.tenant, u.id)).occupancy == "vacant"
