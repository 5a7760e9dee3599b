"""The compliance view of the statutory notices: owed, on time, late, open, overdue, and which."""

from __future__ import annotations

import re

from tests.complaints.reports.conftest import base
from tests.complaints.reports.support import rows_by_first, workbook

MARCH = "period=month&year=2026&month=3"


def duty_cells(html: str, duty: str) -> list[str]:
    row = re.search(rf'<tr id="duty-{duty}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


async def test_each_notice_owed_on_time_late_open_overdue(as_admin, seeded):
    response = await as_admin.get(f"{base(seeded)}/compliance?{MARCH}")

    assert response.status_code == 200
    html = response.text
    # owed, on time, late, open, overdue, not written yet, on-time rate
    assert duty_cells(html, "materials_notice") == ["1", "0", "0", "0", "1", "0", "0.0%"]
    assert duty_cells(html, "acceptance_notice") == ["1", "1", "0", "0", "0", "0", "100.0%"]
    assert duty_cells(html, "decision_notice") == ["3", "1", "1", "0", "1", "1", "33.3%"]
    assert duty_cells(html, "extension_notice") == ["0", "0", "0", "0", "0", "0", "—"]


async def test_the_late_and_overdue_list_names_each_complaint(as_admin, seeded):
    html = (await as_admin.get(f"{base(seeded)}/compliance?{MARCH}")).text
    late = html.split('id="late"', 1)[1]
    c = seeded.complaints
    order = [late.index(c[k].number) for k in ("c2", "c3", "c9")]
    assert order == sorted(order)  # oldest due date first
    assert "Sent late" in late and "Overdue, notice not written yet" in late and "Overdue, not sent" in late
    assert c["c1"].number not in late  # on time
    # Each links to the complaint's staff page.
    assert f'href="/t/{seeded.tenant.slug}/complaints/{c["c2"].id}">{c["c2"].number}</a>' in late


async def test_a_period_with_nothing_late_says_so(as_admin, seeded):
    html = (await as_admin.get(f"{base(seeded)}/compliance?period=month&year=2025&month=6")).text
    assert "No notice due in this period was late or is overdue." in html


async def test_the_excel_file_holds_the_same_numbers_and_list(as_admin, seeded):
    response = await as_admin.get(f"{base(seeded)}/compliance.xlsx?{MARCH}")

    assert response.status_code == 200
    sheets = workbook(response.content)
    assert list(sheets) == ["Statutory notices", "Late and overdue"]
    duties = rows_by_first(sheets["Statutory notices"])
    assert duties["Decision notice"][1:7] == (3, 1, 1, 0, 1, 1)
    assert duties["Notice of acceptance or not"][7] == 1.0
    assert duties["Extension notice"][7] is None
    late = sheets["Late and overdue"][1:]
    c = seeded.complaints
    assert [(r[0], r[5]) for r in late] == [(c["c2"].number, 5), (c["c3"].number, 21), (c["c9"].number, 16)]


async def test_htmx_gets_the_fragment(as_admin, seeded):
    response = await as_admin.get(f"{base(seeded)}/compliance?{MARCH}", headers={"hx-request": "true"})
    assert response.text.lstrip().startswith('<section id="report"')


async def test_a_report_over_many_complaints_is_written_by_a_job(as_admin, seeded, monkeypatch):
    from tests.jobs import large_export

    # Given more complaints than a request reads itself (the limit lowered to 0), the job's
    # workbook holds the same numbers and list for the period picked.
    _, got = await large_export(as_admin, f"{base(seeded)}/compliance.xlsx?{MARCH}", seeded.tenant.id, monkeypatch)
    sheets = workbook(got.content)
    duties = rows_by_first(sheets["Statutory notices"])
    assert duties["Decision notice"][1:7] == (3, 1, 1, 0, 1, 1)
    c = seeded.complaints
    assert [(r[0], r[5]) for r in sheets["Late and overdue"][1:]] == [
        (c["c2"].number, 5), (c["c3"].number, 21), (c["c9"].number, 16)]
