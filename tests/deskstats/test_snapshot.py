"""The month-end occupancy snapshot: the sweep just after a month ends records each building's
occupancy as it was at the month's last moment, once (a second sweep writes nothing); a later
change leaves that month's page alone; a past month nobody swept is rebuilt from the occupancy
history on demand, once, and audited; a month not over cannot be snapshotted; an insurer is not
swept. The month's paid-service revenue and enquiries are on the page and in the workbook."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest_asyncio
from openpyxl import load_workbook

from kefu.audit.tables import AuditEvent
from kefu.core import clock
from kefu.core.scoping import scoped_objects
from kefu.db import transaction
from kefu.desk.tables import ServiceOrder
from kefu.deskstats import services
from kefu.deskstats.tables import OccupancySnapshot
from kefu.units.tables import OccupancyChange, Unit
from tests import factories as base
from tests.desk import factories as desk_factories
from tests.fixtures import Staff, staff_of
from tests.units import factories as unit_factories

LONG_AGO = datetime(2026, 8, 1, tzinfo=UTC)


@pytest_asyncio.fixture(loop_scope="session")
async def centre(app):
    made = await staff_of("property", {"manager": "manager"}, name="快照中心 " + base.unique("s"))
    staff = Staff(app, made.tenant, made.users, "/statistics")
    yield staff
    await staff.aclose()


async def _unit(tenant, building: str, room: str, occupancy: str, created: datetime = LONG_AGO) -> Unit:
    row = await unit_factories.unit(tenant, building, room, occupancy=occupancy)
    async with transaction(tenant.id):
        await Unit.update({Unit.created_at: created}).where(Unit.tenant == tenant.id, Unit.id == row.id)
    return row


async def _change(tenant, row: Unit, to: str, at: datetime) -> None:
    """What units.services.record_change writes: the unit's new state and its history row."""
    async with transaction(tenant.id):
        before = (await Unit.select(Unit.occupancy).where(Unit.tenant == tenant.id, Unit.id == row.id).first())
        await Unit.update({Unit.occupancy: to}).where(Unit.tenant == tenant.id, Unit.id == row.id)
        await OccupancyChange(tenant=tenant.id, unit=row.id, from_state=before["occupancy"], to_state=to,
                              at=at).save()


async def _snapshot_rows(tenant) -> list[OccupancySnapshot]:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(OccupancySnapshot, tenant.id).order_by(OccupancySnapshot.id)


def _cells(html: str, building: str) -> list[str]:
    row = html.split('id="stats"')[1].split(f"<td>{building}</td>")[1].split("</tr>")[0]
    return [c.strip() for c in row.replace("</td>", "").split("<td>") if c.strip()]


async def test_the_sweep_records_the_month_end_once_and_later_changes_leave_it(centre, frozen_clock):
    tenant = centre.tenant
    a = await _unit(tenant, "1栋", "101", "vacant")
    b = await _unit(tenant, "1栋", "102", "let")
    # 30 November 23:50 in Shanghai: a move-in completes before the month ends.
    await _change(tenant, a, "owner_occupied", datetime(2026, 11, 30, 15, 50, tzinfo=UTC))
    # Just after midnight on 1 December the sweep runs, twice.
    frozen_clock.travel(datetime(2026, 11, 30, 16, 1, tzinfo=UTC))
    assert await services.sweep_tenant(tenant) is True
    assert await services.sweep_tenant(tenant) is False
    rows = await _snapshot_rows(tenant)
    assert {(r.building, r.occupancy, r.n, r.how) for r in rows if r.building_id} == {
        ("1栋", "owner_occupied", 1, "sweep"), ("1栋", "let", 1, "sweep")}
    assert {r.period for r in rows} == {date(2026, 11, 1)}
    # In December the let flat falls vacant: November's page still shows its month-end.
    frozen_clock.travel(date(2026, 12, 6))
    await _change(tenant, b, "vacant", clock.now())
    client = await centre.client("manager")
    november = await client.get(centre.url("/?period=2026-11"))
    assert november.status_code == 200 and 'id="snapshot-note"' in november.text
    assert _cells(november.text, "1栋")[:4] == ["2", "2", "0", "0"]
    december = await client.get(centre.url("/?period=2026-12"))
    assert _cells(december.text, "1栋")[:4] == ["2", "1", "1", "0"]


async def test_a_past_month_is_rebuilt_from_the_history_on_demand_once(centre, frozen_clock):
    tenant = centre.tenant
    frozen_clock.travel(date(2026, 12, 6))
    a = await _unit(tenant, "9栋", "901", "vacant")
    await _unit(tenant, "9栋", "902", "vacant", created=datetime(2026, 11, 20, tzinfo=UTC))  # not there in October
    await _change(tenant, a, "owner_occupied", datetime(2026, 11, 15, tzinfo=UTC))
    client = await centre.client("manager")
    october = await client.get(centre.url("/?period=2026-10"))
    assert 'id="snapshot-missing"' in october.text
    taken = await client.post(centre.url("/snapshot"), {"period": "2026-10"})
    assert taken.status_code == 303 and taken.headers["location"].endswith("?period=2026-10")
    october = await client.get(centre.url("/?period=2026-10"))
    assert 'id="snapshot-missing"' not in october.text
    assert _cells(october.text, "9栋")[:4] == ["1", "0", "1", "0"]  # vacant then, one unit
    again = await client.post(centre.url("/snapshot"), {"period": "2026-10"})
    assert again.status_code == 303
    october_rows = [r for r in await _snapshot_rows(tenant) if r.period == date(2026, 10, 1)]
    assert len([r for r in october_rows if not r.building_id]) == 1
    assert {r.how for r in october_rows} == {"rebuilt"}
    async with transaction(tenant.id, write=False):
        events = await scoped_objects(AuditEvent, tenant.id).where(AuditEvent.action == "statistics.snapshot")
    assert len(events) == 1
    # December has not ended: nothing is written; a bad month is a 400.
    await client.post(centre.url("/snapshot"), {"period": "2026-12"})
    assert not [r for r in await _snapshot_rows(tenant) if r.period == date(2026, 12, 1)]
    assert (await client.post(centre.url("/snapshot"), {"period": "2026-13"})).status_code == 400


async def test_an_insurer_is_not_swept(app, frozen_clock):
    insurer = await staff_of("insurance", {"manager": "admin"}, name="保险 " + base.unique("s"))
    frozen_clock.travel(date(2026, 12, 6))
    assert await services.sweep_tenant(insurer.tenant) is False
    assert await _snapshot_rows(insurer.tenant) == []


async def test_the_months_paid_service_revenue_and_enquiries(centre, frozen_clock):
    tenant = centre.tenant
    frozen_clock.travel(date(2026, 12, 6))
    flat = await _unit(tenant, "5栋", "501", "let")
    done = await desk_factories.order(tenant, unit_row=flat, service="cleaning", quantity=2, price="60.00")
    await desk_factories.order(tenant, unit_row=flat, service="pipe", quantity=1, price="80.00")  # not done
    async with transaction(tenant.id):
        await ServiceOrder.update({ServiceOrder.state: "done", ServiceOrder.done_at: datetime(
            2026, 11, 10, 3, tzinfo=UTC)}).where(ServiceOrder.tenant == tenant.id, ServiceOrder.id == done.id)
    await desk_factories.enquiry(tenant, topic="parking")
    client = await centre.client("manager")
    page = await client.get(centre.url("/?period=2026-12"))
    assert 'id="enquiries"' in page.text and "1" in page.text.split('id="enquiries"')[1].split("</table>")[0]
    assert "No paid service was done this month." in page.text
    november = await client.get(centre.url("/?period=2026-11"))
    revenue = november.text.split('id="revenue"')[1].split("</table>")[0]
    assert "Home cleaning" in revenue and "120.00" in revenue and "Drain unblocking" not in revenue
    assert 'id="revenue-chart"' in november.text
    # once, in the page's body: the document title is text, not a second copy of the tables
    assert november.text.count('id="revenue"') == 1
    assert "<svg" not in november.text.split("<title>")[1].split("</title>")[0]
    assert "No enquiry was logged this month." in november.text
    exported = await client.get(centre.url("/export.xlsx?period=2026-11"))
    book = load_workbook(io.BytesIO(exported.content), read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    assert ["Home cleaning", 120] in [[r[0], r[1]] for r in sheets["Paid-service revenue"]]
    assert "Enquiries" in sheets
