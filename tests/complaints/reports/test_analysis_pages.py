"""The art. 20 analysis page, its htmx fragment, the Excel and PDF exports, and who may see them."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from kefu.core import clock
from tests.complaints.reports.conftest import base
from tests.complaints.reports.support import assert_pdf_shows, rows_by_first, workbook
from tests.jobs import finish, job_file

MARCH = "period=month&year=2026&month=3"


def figure(html: str, card: str) -> str:
    match = re.search(rf'id="figure-{card}".*?class="kefu-figure">([^<]*)<', html, re.S)
    assert match, card
    return match.group(1).strip()


def table_row(html: str, section: str, label: str) -> list[str]:
    """The cells of the row headed `label` in the table of `section`."""
    part = html.split(f'id="{section}"', 1)[1]
    match = re.search(rf"<tr><th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", part, re.S)
    assert match, (section, label)
    return re.findall(r"<td>([^<]*)</td>", match.group(1))


async def test_the_page_shows_the_figures_of_the_period_and_the_previous_one(as_admin, seeded):
    response = await as_admin.get(f"{base(seeded)}/analysis?{MARCH}")

    assert response.status_code == 200
    html = response.text
    assert seeded.tenant.name in html
    assert "March 2026" in html and "February 2026" in html
    assert figure(html, "received") == "5"
    assert figure(html, "handling") == "17.0"
    assert figure(html, "repeaters") == "2"
    assert table_row(html, "breakdown-channel", "Phone hotline") == ["2", "1", "+1", "+100.0%"]
    assert table_row(html, "breakdown-channel", "Fax") == ["0", "1", "-1", "-100.0%"]
    assert table_row(html, "breakdown-category", "Claims") == ["3", "1", "+2", "+200.0%"]
    assert table_row(html, "breakdown-outcome", "Not accepted") == ["1", "0", "+1", "—"]
    assert table_row(html, "breakdown-department", "理赔部") == ["1", "0", "+1", "—"]
    assert table_row(html, "breakdown-rates", "Decision notice") == [
        "3", "1", "1", "1", "0", "33.3%", "—", "—",
    ]
    # The repeat complainants, by the phone or email they share.
    assert "li@example.test" in html and "王五" in html


async def test_charts_are_inline_svg_with_a_title_and_description(as_admin, seeded):
    html = (await as_admin.get(f"{base(seeded)}/analysis?{MARCH}")).text

    assert "<script" not in html.split('id="report"', 1)[1]
    for chart in ("channel", "category", "outcome", "department", "rates"):
        svg = re.search(rf'<svg id="chart-{chart}".*?</svg>', html, re.S)
        assert svg, chart
        assert f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in svg.group(0)
        assert f'<title id="chart-{chart}-title">' in svg.group(0) and "<desc" in svg.group(0)
    # The hotline bar is the longest (2 of 2); the previous period's fax bar is drawn too.
    channel = re.search(r'<svg id="chart-channel".*?</svg>', html, re.S).group(0)
    assert 'width="350.0"' in channel and "Fax · Previous period: 1" in channel


async def test_htmx_gets_only_the_report_fragment(as_admin, seeded):
    response = await as_admin.get(f"{base(seeded)}/analysis?{MARCH}", headers={"hx-request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="report"')
    assert "<html" not in response.text and 'id="figure-received"' in response.text


@pytest.mark.parametrize(("query", "field"), [
    ("period=month&year=2026&month=13", "month"),
    ("period=custom&from=2026-03-10&to=2026-03-01", "to"),
    ("period=custom&from=yesterday&to=2026-03-01", "from"),
    ("period=fortnight", "period"),
])
async def test_a_bad_period_is_422_naming_the_field(as_admin, seeded, query, field):
    response = await as_admin.get(f"{base(seeded)}/analysis?{query}")
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert 'id="figure-received"' not in response.text
    for export in ("analysis.xlsx", "compliance.xlsx"):
        response = await as_admin.get(f"{base(seeded)}/{export}?{query}")
        assert response.status_code == 422, export
        assert f"<strong>{field}</strong>" in response.text
    response = await as_admin.post(f"{base(seeded)}/analysis.pdf?{query}")  # no job is started
    assert response.status_code == 422 and f"<strong>{field}</strong>" in response.text


async def test_other_periods_are_picked_the_same_way(as_admin, seeded):
    html = (await as_admin.get(f"{base(seeded)}/analysis?period=quarter&year=2026&quarter=1")).text
    assert "Q1 2026" in html and "Q4 2025" in html
    assert figure(html, "received") == "8"  # c1-c5, c7-c9
    html = (await as_admin.get(f"{base(seeded)}/analysis?period=custom&from=2026-03-20&to=2026-04-01")).text
    assert figure(html, "received") == "3"  # c4, c5, c6
    assert 'name="from" value="2026-03-20"' in html


async def test_without_a_period_the_page_shows_the_current_month_in_shanghai(as_admin, seeded):
    # 16:30 UTC on 31 March is 00:30 on 1 April in Shanghai.
    with clock.frozen(datetime(2026, 3, 31, 16, 30, tzinfo=UTC)):
        html = (await as_admin.get(f"{base(seeded)}/analysis")).text
    assert "April 2026" in html
    assert figure(html, "received") == "1"  # c6
    assert "This period is not over yet" in html


async def test_the_excel_file_holds_the_same_numbers(as_admin, seeded):
    response = await as_admin.get(f"{base(seeded)}/analysis.xlsx?{MARCH}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    sheets = workbook(response.content)
    assert list(sheets) == [
        "Summary", "By channel", "By category", "By outcome", "By department", "Notices on time",
        "Repeat complainants",
    ]
    summary = rows_by_first(sheets["Summary"])
    assert summary["Complaints received"][1:4] == (5, 2, 3)
    assert summary["Average handling days"][1] == 17.0
    assert summary["From"][1:3] == (datetime(2026, 3, 1), datetime(2026, 2, 1))
    channels = rows_by_first(sheets["By channel"])
    assert channels["Phone hotline"] == ("Phone hotline", "hotline", 2, 1, 1, 1.0)
    assert all(isinstance(v, int) for v in channels["Fax"][2:5])
    notices = rows_by_first(sheets["Notices on time"])
    assert notices["Decision notice"][1:8] == (3, 1, 1, 0, 1, 1, pytest.approx(1 / 3))
    repeaters = sheets["Repeat complainants"][1:]
    assert [(r[0], r[3]) for r in repeaters] == [("张三", 3), ("王五", 2)]
    # Each breakdown sheet carries a native bar chart of its two columns, ready for a slide.
    book = load_workbook(io.BytesIO(response.content))
    assert [len(book[name]._charts) for name in ("By channel", "By category", "Summary")] == [1, 1, 0]


async def test_an_analysis_over_many_complaints_is_written_by_a_job(as_admin, seeded, monkeypatch):
    from tests.jobs import large_export

    # Given more complaints than a request reads itself (the limit lowered to 0), the job's
    # workbook holds the same numbers for the period picked.
    _, got = await large_export(as_admin, f"{base(seeded)}/analysis.xlsx?{MARCH}", seeded.tenant.id, monkeypatch)
    assert "complaint-analysis-" in got.headers["content-disposition"]
    summary = rows_by_first(workbook(got.content)["Summary"])
    assert summary["Complaints received"][1:4] == (5, 2, 3)


async def test_the_pdf_has_the_figures_and_chinese_glyphs(as_admin, seeded):
    page = await as_admin.get(f"{base(seeded)}/analysis?{MARCH}")
    assert f'action="{base(seeded)}/analysis.pdf?{MARCH.replace("&", "&amp;")}&amp;' in page.text  # the button posts
    response = await job_file(as_admin, await as_admin.post(f"{base(seeded)}/analysis.pdf?{MARCH}"), seeded.tenant.id)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert_pdf_shows(response.content, "Complaint analysis report", "March 2026", seeded.tenant.name, "王五")


async def test_in_chinese_the_page_and_pdf_speak_chinese(app, seeded):
    from tests.fixtures import Client

    client = Client(app)
    await client.signin(seeded.admin.email)
    await client.post("/account/locale", {"locale": "zh_CN", "next": "/"})
    html = (await client.get(f"{base(seeded)}/analysis?{MARCH}")).text
    assert "2026年3月" in html and "理赔" in html  # the category's own Chinese label
    pdf = (await job_file(client, await client.post(f"{base(seeded)}/analysis.pdf?{MARCH}"), seeded.tenant.id)).content
    assert_pdf_shows(pdf, "2026年3月", "理赔")
    await client.aclose()


ROUTES = ["", "/analysis", "/analysis.xlsx", "/compliance", "/compliance.xlsx", "/governance"]
PRINTED = ["/analysis.pdf", "/governance.pdf"]  # posted: each starts a print job


async def _ask(client, path: str):
    return await (client.post if path.endswith(tuple(PRINTED)) else client.get)(path)


@pytest.mark.parametrize("path", ROUTES + PRINTED)
async def test_an_agent_without_the_reports_permission_gets_403(as_bob, as_agent, cast, seeded, path):
    assert (await _ask(as_bob, f"/t/{cast.tenant_a.slug}/complaints/reports{path}")).status_code == 403
    assert (await _ask(as_agent, f"{base(seeded)}{path}")).status_code == 403


@pytest.mark.parametrize("path", ROUTES + PRINTED)
async def test_another_tenants_admin_gets_404_and_a_stranger_the_signin(as_carol, make_client, seeded, path):
    response = await _ask(as_carol, f"{base(seeded)}{path}")
    assert response.status_code == 404 and seeded.tenant.name not in response.text
    response = await make_client().get(f"{base(seeded)}{path}")
    assert response.status_code in (302, 303, 405) and (
        response.status_code == 405 or response.headers["location"].startswith("/signin"))


async def test_the_index_links_the_three_reports(as_admin, seeded):
    html = (await as_admin.get(base(seeded))).text
    for name in ("analysis", "compliance", "governance"):
        assert f'href="{base(seeded)}/{name}"' in html



async def test_without_weasyprint_the_print_job_fails_with_the_reason(as_admin, seeded, monkeypatch):
    from kefu.core import pdf

    def unavailable(html: str) -> bytes:
        raise pdf.PdfUnavailable()

    monkeypatch.setattr(pdf, "write_pdf", unavailable)
    started = await as_admin.post(f"{base(seeded)}/analysis.pdf?{MARCH}")
    page = await finish(as_admin, started, seeded.tenant.id)
    assert page.status_code == 200 and 'id="job-error"' in page.text and "WeasyPrint" in page.text
    assert f'href="{base(seeded)}/analysis"' in page.text  # back to the report
