"""The results page (live counts, index, charts, breakdowns, comparison, comments), the
comments and responses lists, with data and empty, and free text always escaped."""

from __future__ import annotations

import html
import re

import pytest
from markupsafe import escape

from tests.surveys import factories as sf
from tests.surveys.results.support import FORMULA, XSS, seeded_round

pytestmark = pytest.mark.asyncio(loop_scope="session")


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def test_results_page_shows_the_figures(office):
    round_row, previous = await seeded_round(office.tenant, with_previous=True)
    client = await office.client("qa")
    page = await client.get(office.round_url(round_row.id))
    assert page.status_code == 200, page.text
    body = page.text
    assert round_row.title in body
    # 4 responses: 3 of 10 invitees (30%) and 1 through the open link, beside the rate; 3 valid (75%)
    assert re.search(r'id="figure-responses".*?>4<', body, re.S)
    assert "30.0%" in body and "75.0%" in body and "40.0%" not in body
    assert "Completed faster than the minimum time" in body
    # index (75 + 31.25 + 100) / 3 = 68.75, +18.75 against the previous round's 50
    assert "68.8" in body and "+18.8" in body and "2026年上半年满意度调查" in body
    assert '<svg id="chart-overall"' in body and '<svg id="chart-services"' in body
    assert '<svg id="chart-building"' in body and "1栋" in body and "2栋" in body
    assert "3栋" not in body  # the invalid response's building is in no figure
    assert "fewer than 3" in body  # small groups flagged
    assert "NPS +33.3" in body
    # live while open: the counts block polls every 15 s
    assert 'hx-trigger="every 15s"' in body
    assert f'href="/t/{office.tenant.slug}/surveys/rounds/{round_row.id}"' in body


async def test_free_text_is_escaped(office):
    round_row, _ = await seeded_round(office.tenant)
    client = await office.client("qa")
    for path in ("/results", "/comments", "/responses?validity=valid"):
        page = await client.get(office.round_url(round_row.id, path))
        assert page.status_code == 200, (path, page.text[:300])
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, path
        assert str(escape(XSS)) in page.text, path
    page = await client.get(office.round_url(round_row.id))
    assert str(escape(FORMULA)) in page.text  # the "other" text, as text


async def test_the_counts_block_alone_for_htmx(office):
    round_row, _ = await seeded_round(office.tenant)
    client = await office.client("qa")
    page = await client.get(office.round_url(round_row.id), headers={"hx-request": "true"})
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<section id="counts"')
    assert "<html" not in page.text and "chart-overall" not in page.text
    assert "75.0%" in page.text


async def test_a_closed_round_does_not_poll(office):
    round_row = await sf.survey_round(office.tenant, status="closed", opens_in_days=-30, closes_in_days=-16)
    page = await (await office.client("qa")).get(office.round_url(round_row.id))
    assert "every 15s" not in page.text


async def test_empty_round(office):
    round_row = await sf.survey_round(office.tenant, title="空的轮次")
    client = await office.client("qa")
    page = await client.get(office.round_url(round_row.id))
    assert page.status_code == 200
    assert 'id="empty-results"' in page.text and "No valid responses yet" in page.text
    assert "chart-overall" not in page.text
    for path in ("/comments", "/responses", "/results.xlsx", "/responses.xlsx"):
        assert (await client.get(office.round_url(round_row.id, path))).status_code == 200, path


async def test_only_invalid_responses_is_still_empty(office):
    round_row = await sf.survey_round(office.tenant)
    await sf.response(office.tenant, round_row, is_valid=False, invalid_reason="straight_lining")
    page = await (await office.client("qa")).get(office.round_url(round_row.id))
    assert 'id="empty-results"' in page.text and "The same score for every rating" in page.text


async def test_comments_page_lists_valid_texts_newest_first(office):
    round_row, _ = await seeded_round(office.tenant)
    client = await office.client("qa")
    page = await client.get(office.round_url(round_row.id, "/comments"))
    text = text_of(page.text)
    assert "保安很负责" in text and "电梯常坏" in text
    assert "无效问卷的意见" not in text  # the invalid response's comment is not shown
    assert text.index("保安很负责") < text.index("电梯常坏")
    only = await client.get(office.round_url(round_row.id, "/comments?question=why_low"))
    assert "电梯常坏" in only.text and "保安很负责" not in only.text


async def test_comments_are_paged(office):
    round_row = await sf.survey_round(office.tenant)
    for i in range(55):
        await sf.response(office.tenant, round_row, {**sf.GOOD_ANSWERS, "comments": f"意见第{i:02d}条"})
    client = await office.client("qa")
    first = text_of((await client.get(office.round_url(round_row.id, "/comments"))).text)
    assert "意见第54条" in first and "意见第04条" not in first and "Page 1 of 2" in first
    second = text_of((await client.get(office.round_url(round_row.id, "/comments?page=2"))).text)
    assert "意见第04条" in second and "意见第54条" not in second


async def test_responses_list_shows_invalid_ones_with_their_reason(office):
    round_row, _ = await seeded_round(office.tenant)
    client = await office.client("qa")
    page = await client.get(office.round_url(round_row.id, "/responses"))
    assert page.status_code == 200
    assert "Completed faster than the minimum time" in page.text
    assert page.text.count('id="response-') == 1
    everything = await client.get(office.round_url(round_row.id, "/responses?validity=all&page=abc"))
    assert everything.text.count('id="response-') == 4
    # answers shown with their labels: 电话 for "phone", 报修 for "repair", the matrix rows by name
    assert "电话" in everything.text and "报修, Other (" in everything.text and "前台接待 5" in everything.text


async def test_another_tenants_round_is_404(office, as_carol):
    round_row, _ = await seeded_round(office.tenant)
    response = await as_carol.get(office.round_url(round_row.id))
    assert response.status_code == 404
