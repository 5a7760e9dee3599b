"""The raw-answers and summary workbooks and the PDF analysis report: they open, hold the right
numbers, keep text as text (a formula-looking answer is not a formula) and, in the PDF, embed
CJK glyphs whose text can be read back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.complaints.reports.support import assert_pdf_shows, pdf_text
from tests.jobs import job_file
from tests.surveys.results.factories import make_action
from tests.surveys.results.support import FORMULA, INDEX, XSS, seeded_round

pytestmark = pytest.mark.asyncio(loop_scope="session")


def book(content: bytes):
    return load_workbook(io.BytesIO(content))


async def test_raw_answers_workbook(office):
    round_row, _ = await seeded_round(office.tenant)
    response = await (await office.client("qa")).get(office.round_url(round_row.id, "/responses.xlsx"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    ws = book(response.content).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 5  # a header and the 4 responses, invalid one included
    col = {name.split(" ")[0]: i for i, name in enumerate(header) if name}
    by_building = {row[col["Building"]]: row for row in rows[1:] if row[col["Building"]] != "1栋"}
    first = [row for row in rows[1:] if row[col["overall"]] == 4][0]
    assert first[col["services.cleaning"]] == 3 and first[col["recommend"]] == 9
    assert first[col["comments"]] == XSS
    two = by_building["2栋"]
    assert two[col["used"]] == "Repair; Other" or two[col["used"]] == "报修; Other"
    assert two[col["used.other"]] == FORMULA
    invalid = by_building["3栋"]
    assert invalid[col["Valid"]] == "No" and invalid[col["Why"]] == "Completed faster than the minimum time"
    # the formula-looking answer is stored as a text cell, not a formula
    cells = [c for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)
    assert isinstance(first[col["Submitted"]].year, int)  # a real date-time, in the tenant's zone


async def test_a_large_raw_answers_workbook_is_written_by_a_job(office, monkeypatch):
    from tests.jobs import large_export

    # Given a round with more responses than a request writes itself (the limit lowered to 0),
    round_row, _ = await seeded_round(office.tenant)
    client = await office.client("qa")
    # when its raw answers are asked for, a job streams them into the workbook.
    _, got = await large_export(client, office.round_url(round_row.id, "/responses.xlsx"), office.tenant.id,
                                monkeypatch)
    rows = list(book(got.content).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 5  # a header and the 4 responses, invalid one included
    assert "survey-responses-" in got.headers["content-disposition"]


async def test_summary_workbook_holds_the_figures(office):
    round_row, _ = await seeded_round(office.tenant, with_previous=True)
    response = await (await office.client("qa")).get(office.round_url(round_row.id, "/results.xlsx"))
    assert response.status_code == 200
    wb = book(response.content)
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Invited"] == 10 and summary["Responses"] == 4 and summary["Valid responses"] == 3
    assert summary["Response rate"] == pytest.approx(0.3) and summary["Through the open link"] == 1
    assert summary["Validity rate"] == pytest.approx(0.75)
    assert summary["Satisfaction index (0–100)"] == pytest.approx(INDEX)
    assert summary["Change of the index"] == pytest.approx(INDEX - 50)
    reasons = list(wb["Invalid responses"].iter_rows(min_row=2, values_only=True))
    assert reasons == [("Completed faster than the minimum time", 1)]
    buildings = {row[0]: row for row in wb["By building"].iter_rows(min_row=2, values_only=True)}
    assert buildings["1栋"][1] == 2 and buildings["1栋"][2] == pytest.approx(87.5) and buildings["1栋"][3] == "Yes"
    questions = list(wb["Questions"].iter_rows(min_row=2, values_only=True))
    overall = [row for row in questions if row[0] == 1]
    assert overall[0][4] == 3 and overall[0][6] == pytest.approx(11 / 3)
    assert [row[4] for row in overall[1:]] == [0, 1, 0, 1, 1]
    others = [row for row in questions if row[3] == FORMULA]
    assert others, questions
    cells = [c for row in wb["Questions"].iter_rows() for c in row if c.value == FORMULA]
    assert all(c.data_type == "s" for c in cells)
    assert "Against the previous round" in wb.sheetnames


async def test_report_pdf_in_chinese_with_embedded_glyphs(office):
    round_row, _ = await seeded_round(office.tenant, title="2026年下半年业主满意度调查", with_previous=True)
    await make_action(office.tenant, "电梯维保", round_id=round_row.id)
    client = await office.client("manager")
    await client.post("/account/locale", {"locale": "zh_CN", "next": "/"})
    try:
        response = await job_file(client, await client.post(office.round_url(round_row.id, "/report")), office.tenant.id)
    finally:
        await client.post("/account/locale", {"locale": "en", "next": "/"})
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/pdf"
    assert_pdf_shows(response.content, "客户意见调查分析报告", "2026年下半年业主满意度调查", "您对我们的总体服务是否满意",
                     "改进 电梯维保", "保洁外包公司", "68.8")
    text = pdf_text(response.content)
    if text is not None:
        assert "<script>" in text  # shown as the text it is, not run or dropped
        assert "无效问卷的意见" not in text


async def test_report_pdf_of_an_empty_round(office):
    from tests.surveys import factories as sf

    round_row = await sf.survey_round(office.tenant, title="空轮次/报告")
    client = await office.client("qa")
    response = await job_file(client, await client.post(office.round_url(round_row.id, "/report")), office.tenant.id)
    assert response.status_code == 200
    assert_pdf_shows(response.content, "空轮次/报告")
    disposition = response.headers["content-disposition"]
    assert f'filename="survey-report-{round_row.id}-______.pdf"' in disposition  # no path separator
    assert "%2F" not in disposition and "/" not in disposition.split("filename*=")[1]


async def test_the_report_button_prints_the_pdf_in_a_job(office):
    from tests.jobs import finish
    from tests.surveys import factories as sf

    round_row = await sf.survey_round(office.tenant, title="后台打印/报告")
    client = await office.client("qa")
    page = await client.get(office.round_url(round_row.id, "/results"))
    assert f'action="{office.round_url(round_row.id, "/report")}"' in page.text  # the button posts
    started = await client.post(office.round_url(round_row.id, "/report"))
    assert started.status_code == 303 and "/jobs/" in started.headers["location"]
    done = await finish(client, started, office.tenant.id)
    assert done.status_code == 200 and 'id="job-file"' in done.text and "survey-report" in done.text
    got = await client.get(started.headers["location"] + "/file")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert_pdf_shows(got.content, "后台打印/报告")
