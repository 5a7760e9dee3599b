"""The manager's page: arrears ageing by building, the month's collection rate with its chart,
the reasons for late payment by category and building (recorded at the desk on the unit's fee
page), and the same figures in XLSX; the desk sees a unit's arrears, not the report."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from kefu.fees.tables import LateReason
from tests.fees import factories
from tests.fees.support import count, field_invalid
from tests.units import factories as unit_factories

TODAY = date(2026, 12, 6)


async def _arrears(centre):
    one = await unit_factories.unit(centre.tenant, "1栋", "101")
    two = await unit_factories.unit(centre.tenant, "2栋", "201")
    item = await factories.item(centre.tenant)
    await factories.bill(centre.tenant, unit_row=one, item_row=item, amount="100", paid="40",
                         period=date(2026, 11, 1), due_on=date(2026, 11, 15))      # 21 days late
    await factories.bill(centre.tenant, unit_row=one, item_row=item, amount="100", period=date(2026, 5, 1),
                         due_on=date(2026, 5, 15))                                  # 205 days
    await factories.bill(centre.tenant, unit_row=two, item_row=item, amount="80", paid="80",
                         period=date(2026, 11, 1), due_on=date(2026, 11, 15))
    return one, two


async def test_ageing_and_collection_by_building(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    await _arrears(centre)
    page = await (await centre.client("manager")).get(centre.url("/reports?period=2026-11"))
    assert page.status_code == 200
    ageing = page.text.split('id="ageing"')[1].split("</table>")[0]
    assert "<td>1栋</td><td>60.00</td><td>0.00</td><td>0.00</td><td>100.00</td><td>160.00</td>" in ageing.replace("\n", "")
    assert "2栋" not in ageing
    rates = page.text.split('id="rates"')[1].split("</table>")[0]
    assert "<td>1栋</td><td>100.00</td><td>40.00</td><td>40.0</td>" in rates
    assert "<td>2栋</td><td>80.00</td><td>80.00</td><td>100.0</td>" in rates
    assert "<td>180.00</td><td>120.00</td><td>66.7</td>" in rates
    assert 'id="rate-chart"' in page.text


async def test_the_report_exports_to_xlsx(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    await _arrears(centre)
    response = await (await centre.client("manager")).get(centre.url("/reports/export.xlsx?period=2026-11"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    ageing = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert ageing[1][0] == "1栋" and float(ageing[1][-1]) == 160.0
    rates = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert [r[0] for r in rates[1:]] == ["1栋", "2栋", "All buildings"]


async def test_a_report_over_many_bills_is_written_by_a_job(centre, frozen_clock, monkeypatch):
    from tests.jobs import large_export

    # Given more bills than a request sums itself (the limit lowered to 0),
    frozen_clock.travel(TODAY)
    await _arrears(centre)
    # when the report's workbook is asked for, a job writes it for the month asked.
    _, got = await large_export(await centre.client("manager"), centre.url("/reports/export.xlsx"), centre.tenant.id,
                                monkeypatch, params={"period": "2026-11"})
    assert "fees-" in got.headers["content-disposition"] and "2026-11" in got.headers["content-disposition"]
    book = load_workbook(io.BytesIO(got.content), read_only=True)
    ageing = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert ageing[1][0] == "1栋" and float(ageing[1][-1]) == 160.0
    rates = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert [r[0] for r in rates[1:]] == ["1栋", "2栋", "All buildings"]


async def test_the_desk_records_a_reason_the_manager_counts(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    one, _ = await _arrears(centre)
    desk = await centre.client("desk")
    page = await desk.get(centre.url(f"/units/{one.id}"))
    assert "Owes 160.00 yuan" in page.text
    made = await desk.post(centre.url(f"/units/{one.id}/reasons"),
                           {"category": "repair_pending", "note": "<script>alert(1)</script>漏水未修"})
    assert made.status_code == 303
    page = await desk.get(centre.url(f"/units/{one.id}"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;漏水未修" in page.text and "<script>alert(1)" not in page.text
    assert (await desk.get(centre.url("/reports"))).status_code == 403
    report = await (await centre.client("manager")).get(centre.url("/reports"))
    reasons = report.text.split('id="reasons"')[1].split("</table>")[0]
    assert "<td>1栋</td><td>A repair is still open</td><td>1</td>" in reasons


@pytest.mark.parametrize(("field", "value"), [("category", ""), ("category", "moon"), ("note", "x" * 1001),
                                              ("note", "a\x00b")])
async def test_a_bad_reason_records_nothing(centre, field, value):
    u = await unit_factories.unit(centre.tenant)
    good = {"category": "hardship", "note": ""}
    page = await (await centre.client("desk")).post(centre.url(f"/units/{u.id}/reasons"), {**good, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field)
    assert await count(centre.tenant, LateReason) == 0


async def test_the_desk_search_fills_each_units_fee_slot(centre, frozen_clock):
    frozen_clock.travel(TODAY)
    one, two = await _arrears(centre)
    client = await centre.client("desk")
    found = await client.get(f"/t/{centre.slug}/desk/?q=1栋101")
    assert f'data-fees-unit="{one.id}"' in found.text and 'id="fees-slots"' in found.text
    slots = await client.get(centre.url(f"/units/arrears?unit={one.id}&unit={two.id}&unit=x&unit=99999999999"), headers={"hx-request": "true"})
    assert slots.status_code == 200
    assert f"[data-fees-unit='{one.id}']" in slots.text and "Owes 160.00 yuan" in slots.text
    assert f"[data-fees-unit='{two.id}']" in slots.text and "Nothing owed" in slots.text


async def test_another_tenants_units_show_no_arrears(centre, insurer, frozen_clock, app):
    frozen_clock.travel(TODAY)
    one, _ = await _arrears(centre)
    from tests.fixtures import Staff, staff_of

    other = await staff_of("property", {"desk": "front_desk"}, name="别家物业")
    staff = Staff(app, other.tenant, other.users, "/fees")
    try:
        slots = await (await staff.client("desk")).get(staff.url(f"/units/arrears?unit={one.id}"))
        assert slots.status_code == 200 and "160.00" not in slots.text and "Owes" not in slots.text
    finally:
        await staff.aclose()
