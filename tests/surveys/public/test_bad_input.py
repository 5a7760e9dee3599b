"""Malformed and over-long answers, missing required ones, and bodies no browser sends: a clear
error beside the question (422), nothing stored, the invitation still open; never a 500."""

from __future__ import annotations

import re

from tests.surveys import factories as sf
from tests.surveys.public.conftest import (
    answer,
    good_form,
    invitation_row,
    open_page,
    responses,
    url,
)


def error_of(page: str, key: str) -> str:
    match = re.search(rf'<p class="sq-error" id="q-{key}-error">([^<]*)</p>', page)
    return match.group(1) if match else ""


async def _invite(estate):
    round_row = await sf.survey_round(estate)
    return round_row, await sf.invitation(estate, round_row)


async def test_missing_required_answers_are_named_beside_their_questions(client, estate):
    round_row, invite = await _invite(estate)
    form = good_form()
    del form["q_overall"]
    del form["q_services__cleaning"]
    page = await answer(client, estate, invite.token, form)
    assert page.status_code == 422
    assert error_of(page.text, "overall") == "此题为必答题。"
    assert error_of(page.text, "services") == "请为每一行打分。"
    # The summary at the top links to each question; the answers given are still there.
    assert 'href="#q-overall"' in page.text and 'href="#q-services"' in page.text
    assert 'name="q_services__front_desk" value="5" checked' in page.text
    assert "保洁可以再加强</textarea>" in page.text
    assert 'aria-invalid="true"' in page.text
    assert await responses(estate, round_row) == []
    assert (await invitation_row(estate, invite))["state"] == "invited"


async def test_malformed_values_are_refused_question_by_question(client, estate):
    round_row, invite = await _invite(estate)
    cases = {
        "overall": {"q_overall": "abc"},
        "recommend": {"q_recommend": "11"},
        "channel": {"q_channel": "<b>fax</b>"},
        "used": {"q_used": ["repair", "drone"]},
    }
    for key, bad in cases.items():
        page = await answer(client, estate, invite.token, good_form(**bad))
        assert page.status_code == 422, key
        assert error_of(page.text, key), key
    page = await answer(client, estate, invite.token, good_form(q_overall=["4", "5"], q_services__security="-1"))
    assert page.status_code == 422
    assert error_of(page.text, "overall") and error_of(page.text, "services")
    assert await responses(estate, round_row) == []
    assert (await invitation_row(estate, invite))["state"] == "invited"


async def test_an_over_long_answer_is_refused_and_kept_to_its_limit_for_editing(client, estate):
    round_row, invite = await _invite(estate)
    huge = "长" * 200_000  # 1.8 MB URL-encoded: over the field limit, under the form body limit (kefu.core.forms)
    page = await answer(client, estate, invite.token, good_form(q_comments=huge, q_used=["other"], q_used__other="x" * 500))
    assert page.status_code == 422
    assert error_of(page.text, "comments") == "最多 1000 个字符。"
    assert error_of(page.text, "used") == "最多 200 个字符。"
    assert "长" * 1000 + "</textarea>" in page.text and "长" * 1001 not in page.text
    assert len(page.text) < 100_000
    assert await responses(estate, round_row) == []
    # Corrected, it goes through.
    fixed = await answer(client, estate, invite.token, good_form(q_comments="长" * 1000))
    assert fixed.status_code == 303
    assert (await responses(estate, round_row))[0]["answers"]["comments"] == "长" * 1000


async def test_text_no_browser_sends_is_never_a_500(client, estate):
    round_row, invite = await _invite(estate)
    hidden = await open_page(client, estate, invite.token)
    page = await answer(client, estate, invite.token, good_form(q_comments="a\x00b\x01c"), hidden=hidden)
    assert page.status_code == 303
    assert (await responses(estate, round_row))[0]["answers"]["comments"] == "abc"
    round_row, invite = await _invite(estate)
    hidden = await open_page(client, estate, invite.token)
    body = "&".join(f"{k}={v}" for k, v in hidden.items()) + "&q_overall=%FF%FE&q_comments=%E4%B8"
    raw = await client.http.post(url(estate, invite.token), content=body.encode(),
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert raw.status_code in (400, 422), raw.status_code
    multipart = await client.http.post(url(estate, invite.token), data={**hidden, **good_form()},
                                       files={"q_comments": ("x.txt", b"file", "text/plain")})
    assert multipart.status_code in (303, 400, 422), multipart.status_code
    assert len(await responses(estate, round_row)) <= 1


async def test_a_post_without_the_csrf_token_is_refused_plainly(client, estate):
    round_row, invite = await _invite(estate)
    await open_page(client, estate, invite.token)
    page = await client.http.post(url(estate, invite.token), data=good_form())
    assert page.status_code == 403
    assert await responses(estate, round_row) == []


async def test_a_body_over_the_server_limit_is_refused_plainly(client, estate):
    round_row, invite = await _invite(estate)
    hidden = await open_page(client, estate, invite.token)
    page = await answer(client, estate, invite.token, good_form(q_comments="x" * (11 * 1024 * 1024)), hidden=hidden)
    assert page.status_code == 413
    assert await responses(estate, round_row) == []
