"""The yearly grading reference (A art. 27; B.f, C.n): the year's scorecard weighed as the
tenant's pack says, with its commendations and criticisms, a grade band; as a page and XLSX,
each person seeing their own and a manager their department; the property pack's own basis."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from tests.duties.ui.test_scorecards import ROLES, _seed


async def test_the_reference_weighs_the_year_and_grades(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 20))
    staff = await make_staff("insurance", ROLES, locale="zh_CN")
    await _seed(staff)
    agent_id = staff.users["agent"].id
    head, agent = await staff.client("head"), await staff.client("agent")
    assert (await head.post(staff.url(f"/duties/scorecards/{agent_id}/notes"), {
        "kind": "commendation", "noted_on": "2026-03-02", "reason": "回访表扬"})).status_code == 303
    page = await head.get(staff.url("/duties/scorecards/grading?year=2026"))
    assert page.status_code == 200 and "年度定级参考" in page.text and "定级、评薪将参考其回访服务质量" in page.text
    row = page.text.split(f'id="person-{agent_id}"')[1].split("</tr>")[0]
    # Year 2026: duties on time 1 of 3 (33.3), complaints on time 1 of 3 (33.3), training held (100);
    # weights 20, 20, 10 (no callbacks yet: their weight goes to the others) → 46.6, +2 for the commendation.
    assert '<td data-metric="duties.on_time">33.3</td>' in row and '<td data-metric="callbacks.quality">–</td>' in row
    assert "<td>46.6</td>" in row and "<td data-score>48.6</td>" in row and 'data-grade="d">待改进' in row
    # The agent sees only their own row; a year outside the offered ones shows this year.
    mine = await agent.get(staff.url("/duties/scorecards/grading?year=1999"))
    assert mine.status_code == 200 and f'id="person-{agent_id}"' in mine.text
    assert f'id="person-{staff.users["sales"].id}"' not in mine.text and "· 2026</h1>" in mine.text
    assert (await agent.get(staff.url("/duties/scorecards/grading?year=abc"))).status_code == 400
    sheet = await head.get(staff.url("/duties/scorecards/grading.xlsx?year=2026"))
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    header = next(r for r in rows if r and "参考等级" in r)
    found = next(r for r in rows if r and r[0] == staff.users["agent"].name)
    assert (found[header.index("参考得分")], found[header.index("参考等级")], found[header.index("表扬")]) == (48.6, "待改进", 1)


async def test_a_property_centre_grades_on_its_own_basis(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 20))
    staff = await make_staff("property", {"admin": "admin", "mgr": "manager"}, locale="en")
    page = await (await staff.client("mgr")).get(staff.url("/duties/scorecards/grading"))
    assert page.status_code == 200 and "Yearly grading reference" in page.text and "B.f, C.n" in page.text
    assert "A art. 27" not in page.text and "callback quality" not in page.text.split("<blockquote>")[1].split("</blockquote>")[0]
