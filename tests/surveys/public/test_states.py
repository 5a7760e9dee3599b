"""A token that cannot take an answer: an expired round, a round closed early, a round not open
yet. Each is a clear page, and a submit stores nothing."""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock
from tests.surveys import factories as sf
from tests.surveys.public.conftest import answer, invitation_row, responses, url


async def _post_without_page(client, tenant, token):
    """A form kept open in a tab: CSRF from the cookie, the start time signed long ago."""
    await client.get(f"/p/{tenant.slug}/contact")  # any page sets the CSRF cookie
    hidden = {"_csrf_token": client.http.cookies.get("kefu_csrf") or ""}
    return await answer(client, tenant, token, hidden=hidden, started_ago=600)


async def test_an_expired_round_says_it_has_closed_and_stores_nothing(client, estate):
    # closes_at passed, though nothing has set the status to closed yet
    round_row = await sf.survey_round(estate, opens_in_days=-20, closes_in_days=-1)
    invite = await sf.invitation(estate, round_row)
    page = await client.get(url(estate, invite.token))
    assert page.status_code == 410
    assert "本次调查已于" in page.text and "结束" in page.text
    assert 'name="q_overall"' not in page.text
    posted = await _post_without_page(client, estate, invite.token)
    assert posted.status_code == 410 and "本次调查已" in posted.text
    assert await responses(estate, round_row) == []
    assert (await invitation_row(estate, invite))["state"] == "invited"


async def test_a_round_closed_early_says_so_and_stores_nothing(client, estate):
    round_row = await sf.survey_round(estate, status="closed")
    invite = await sf.invitation(estate, round_row)
    page = await client.get(url(estate, invite.token))
    assert page.status_code == 410
    assert "本次调查已结束，感谢您的关注。" in page.text
    posted = await _post_without_page(client, estate, invite.token)
    assert posted.status_code == 410
    assert await responses(estate, round_row) == []


async def test_a_round_that_closes_while_the_form_is_open_refuses_the_answer(client, estate):
    round_row = await sf.survey_round(estate, closes_in_days=1)
    invite = await sf.invitation(estate, round_row)
    page = await client.get(url(estate, invite.token))
    assert page.status_code == 200
    with clock.frozen(clock.now() + timedelta(days=2)):
        posted = await answer(client, estate, invite.token, hidden={"_csrf_token": client.http.cookies.get("kefu_csrf")})
    assert posted.status_code == 410
    assert await responses(estate, round_row) == []


async def test_a_round_not_open_yet_gives_its_date_and_stores_nothing(client, estate):
    round_row = await sf.survey_round(estate, status="scheduled", opens_in_days=3, closes_in_days=17)
    invite = await sf.invitation(estate, round_row)
    page = await client.get(url(estate, invite.token))
    assert page.status_code == 200
    assert "本次调查将于" in page.text and 'name="q_overall"' not in page.text
    posted = await _post_without_page(client, estate, invite.token)
    assert posted.status_code == 409
    assert await responses(estate, round_row) == []


async def test_a_scheduled_round_whose_time_has_come_takes_answers(client, estate):
    # The scheduler has not flipped the status yet; the window decides.
    round_row = await sf.survey_round(estate, status="scheduled", opens_in_days=-1)
    invite = await sf.invitation(estate, round_row)
    assert (await answer(client, estate, invite.token)).status_code == 303
    assert len(await responses(estate, round_row)) == 1


async def test_unknown_tokens_and_slugs_are_the_same_404(client, estate):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    for path in (url(estate, "no-such-token"), url(estate, "bad token!"), url(estate, "x" * 65),
                 f"/p/no-such-estate/s/{invite.token}", url(estate, "no-such-token", "/thanks"),
                 f"/p/{estate.slug}/s/%00abc"):
        page = await client.get(path)
        assert page.status_code == 404, path
        assert "页面不存在" in page.text or "This page does not exist" in page.text
    posted = await _post_without_page(client, estate, "no-such-token")
    assert posted.status_code == 404
