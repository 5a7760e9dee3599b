"""The monthly statistics page (C.i, B.e): occupied and vacant units by building with a chart,
the month's move-ins and move-outs, fees billed and collected, complaints received; the same as
XLSX (an ended month's occupancy from its month-end snapshot); a bad month is a 400 naming it; the desk has no statistics, nor has an insurer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest_asyncio

from kefu.db import transaction
from kefu.units.tables import Move, Unit
from tests import factories as base
from tests.complaints.ui.sweep_factories import make_complaint
from tests.fees import factories as fee_factories
from tests.fixtures import Staff, staff_of
from tests.units import factories as unit_factories
from tests.units.support import xlsx_rows


@pytest_asyncio.fixture(loop_scope="session")
async def centre(app):
    made = await staff_of("property", {"manager": "manager", "desk": "front_desk"},
                          name="统计中心 " + base.unique("s"))
    staff = Staff(app, made.tenant, made.users, "/statistics")
    yield staff
    await staff.aclose()


async def _done_move(tenant, unit_row, kind: str, at: datetime) -> None:
    async with transaction(tenant.id):
        await Move(tenant=tenant.id, unit=unit_row.id, kind=kind, state="done", done_at=at).save()


async def _estate(tenant) -> None:
    a = await unit_factories.unit(tenant, "1栋", "101", occupancy="owner_occupied")
    await unit_factories.unit(tenant, "1栋", "102", occupancy="let")
    await unit_factories.unit(tenant, "1栋", "103", occupancy="vacant")
    b = await unit_factories.unit(tenant, "2栋", "201", occupancy="renovation")
    await _done_move(tenant, a, "move_in", datetime(2026, 11, 3, 2, tzinfo=UTC))
    await _done_move(tenant, a, "move_in", datetime(2026, 10, 31, 17, tzinfo=UTC))  # 11-01 in Shanghai
    await _done_move(tenant, b, "move_out", datetime(2026, 12, 1, 2, tzinfo=UTC))  # December: not counted
    await fee_factories.bill(tenant, unit_row=a, amount="300.00", paid="240.00", period=date(2026, 11, 1))
    async with transaction(tenant.id):  # the units were there before November ended
        await Unit.update({Unit.created_at: datetime(2026, 8, 1, tzinfo=UTC)}).where(Unit.tenant == tenant.id)


async def test_the_month_by_building_with_its_chart_and_export(centre, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    await _estate(centre.tenant)
    client = await centre.client("manager")
    # November has ended and nobody swept it: its occupancy is rebuilt on demand.
    assert (await client.post(centre.url("/snapshot"), {"period": "2026-11"})).status_code == 303
    page = await client.get(centre.url("/?period=2026-11"))
    assert page.status_code == 200, page.text[:400]
    assert 'id="occupancy-chart"' in page.text and "2 / 3" in page.text  # 1栋: 2 of 3 occupied
    table = page.text.split('id="stats"')[1]
    row_1 = table.split("<td>1栋</td>")[1].split("</tr>")[0]
    assert [c.strip() for c in row_1.replace("</td>", "").split("<td>") if c.strip()][:7] == \
        ["3", "2", "1", "0", "66.7", "2", "0"]
    assert "80.0" in row_1 and "300.00" in row_1  # collection rate and billed
    exported = await client.get(centre.url("/export.xlsx?period=2026-11"))
    assert exported.status_code == 200
    rows = xlsx_rows(exported.content)
    assert rows[1][:8] == ["1栋", 3, 2, 1, 0, 66.7, 2, 0] and rows[-1][1] == 4
    # December: the move-out, and a complaint received today.
    await make_complaint(centre.tenant)
    december = await client.get(centre.url("/?period=2026-12"))
    assert "1 complaints received" in december.text and "0 move-ins, 1 move-outs" in december.text


async def test_a_bad_month_is_a_400_naming_it(centre):
    client = await centre.client("manager")
    for bad in ("2026-13", "x", "2026-1-1", "１２"):
        for path in ("/", "/export.xlsx"):
            response = await client.get(centre.url(path), params={"period": bad})
            assert response.status_code == 400 and "period" in response.text, (bad, path)
        response = await client.post(centre.url("/snapshot"), {"period": bad})
        assert response.status_code == 400 and "period" in response.text, bad


async def test_the_desk_and_an_insurer_have_no_statistics(centre):
    desk = await centre.client("desk")
    assert (await desk.get(centre.url("/"))).status_code == 403
    assert (await desk.get(centre.url("/export.xlsx"))).status_code == 403
    assert (await desk.post(centre.url("/snapshot"), {"period": "2026-11"})).status_code == 403
    insurer = await staff_of("insurance", {"manager": "admin"}, name="保险 " + base.unique("s"))
    staff = Staff(centre.app, insurer.tenant, insurer.users, "/statistics")
    try:
        assert (await (await staff.client("manager")).get(staff.url("/"))).status_code == 403
    finally:
        await staff.aclose()
