"""Bills for a month in bulk: each unit owes each item once per month (a second run makes no
second bill), a move-in mid-month is prorated, a unit with no item owes nothing; the manager
makes them from the page, the desk may not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from litestar.exceptions import PermissionDeniedException

from kefu.db import transaction
from kefu.fees import services
from kefu.units.tables import Residency
from tests.fees import factories
from tests.fees.support import count, rows
from tests.units import factories as unit_factories

MARCH = date(2026, 3, 1)


async def _generate(centre, period=MARCH, who="manager", **kw):
    ctx = await centre.ctx(who)
    async with transaction(centre.tenant.id):
        return await services.generate_bills(ctx, period, **kw)


async def test_a_month_is_billed_once_even_when_run_twice(centre):
    await factories.item(centre.tenant, code="management")
    await factories.item(centre.tenant, code="parking", basis="space", rate="150", uses="parking")
    for room in ("101", "102", "103"):
        await unit_factories.unit(centre.tenant, "1栋", room, area="100")
    await unit_factories.unit(centre.tenant, "P", "P01", use="parking", area=None)
    # Given batches of two units, when the month is generated twice
    assert await _generate(centre, batch=2) == 4
    assert await _generate(centre, batch=2) == 0
    bills = await rows(centre.tenant)
    assert len(bills) == 4
    assert sorted(b.amount for b in bills) == [Decimal(150), Decimal(250), Decimal(250), Decimal(250)]
    assert {b.due_on for b in bills} == {date(2026, 3, 15)}


async def test_a_move_in_mid_month_is_prorated_from_that_day(centre):
    await factories.item(centre.tenant, code="management")
    u = await unit_factories.unit(centre.tenant, "2栋", "201", area="100")
    r = await unit_factories.residency(centre.tenant, u)
    async with transaction(centre.tenant.id):
        await Residency.update({Residency.starts_on: date(2026, 3, 17)}).where(Residency.id == r.id)
    await _generate(centre)
    [bill] = await rows(centre.tenant)
    assert bill.days == 15 and bill.amount == Decimal("120.97")  # 250 × 15/31


async def test_a_new_rate_from_mid_month_bills_each_item_for_its_days(centre):
    await factories.item(centre.tenant, code="management", valid_until=date(2026, 3, 15))
    await factories.item(centre.tenant, code="management", rate="3.10", valid_from=date(2026, 3, 16))
    await unit_factories.unit(centre.tenant, "3栋", "301", area="100")
    await _generate(centre)
    assert sorted(b.amount for b in await rows(centre.tenant)) == [Decimal("120.97"), Decimal(160)]


async def test_the_desk_may_not_generate_bills(centre):
    await factories.item(centre.tenant)
    await unit_factories.unit(centre.tenant)
    with pytest.raises(PermissionDeniedException):
        await _generate(centre, who="desk")
    page = await (await centre.client("desk")).post(centre.url("/bills/generate"), {"period": "2026-03"})
    assert page.status_code == 403
    assert await count(centre.tenant) == 0


async def test_the_manager_generates_from_the_page(centre):
    await factories.item(centre.tenant)
    await unit_factories.unit(centre.tenant, "<b>楼</b>", "501", area="80")
    client = await centre.client("manager")
    made = await client.post(centre.url("/bills/generate"), {"period": "2026-03"})
    assert made.status_code == 303 and "period=2026-03" in made.headers["location"]
    page = await client.get(centre.url("/bills?period=2026-03"))
    assert "200.00" in page.text and "&lt;b&gt;楼&lt;/b&gt;" in page.text and "<b>楼</b>" not in page.text


@pytest.mark.parametrize("period", ["", "2026-13", "２０２６-03", "2026-3", "1999-12", "<script>"])
async def test_a_bad_month_makes_nothing(centre, period):
    await factories.item(centre.tenant)
    await unit_factories.unit(centre.tenant)
    client = await centre.client("manager")
    made = await client.post(centre.url("/bills/generate"), {"period": period})
    assert made.status_code == 303
    page = await client.get(made.headers["location"])
    assert "YYYY-MM" in page.text
    assert await count(centre.tenant) == 0


async def test_an_insurer_has_no_fees(insurer):
    client = await insurer.client("manager")
    for path in ("/bills", "/items", "/reports"):
        assert (await client.get(insurer.url(path))).status_code == 403
