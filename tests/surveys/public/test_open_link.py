"""The anonymous open link (the poster's QR code): answers keep nothing personal, a client
address is limited per window, and a filled honeypot pretends success and stores nothing."""

from __future__ import annotations

from kefu.surveys.schemas import answers as answer_form
from kefu.surveys.services import answering
from tests.surveys import factories as sf
from tests.surveys.public.conftest import answer, good_form, open_page, responses


async def test_open_link_answers_are_stored_without_anything_personal(client, estate):
    round_row = await sf.survey_round(estate, open_link=True)
    response = await answer(client, estate, round_row.open_token)
    assert response.status_code == 303
    row = (await responses(estate, round_row))[0]
    assert row["via"] == "open" and row["invitation_id"] is None
    assert (row["building"], row["segment"], row["household"]) == ("", "", "")
    # An open link can be answered again (another resident at the same poster).
    assert (await answer(client, estate, round_row.open_token)).status_code == 303
    assert len(await responses(estate, round_row)) == 2


async def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, estate):
    round_row = await sf.survey_round(estate, open_link=True)
    response = await answer(client, estate, round_row.open_token, good_form(**{answer_form.HONEYPOT: "http://spam.example"}))
    assert response.status_code == 303
    assert response.headers["location"].endswith("/thanks")
    assert await responses(estate, round_row) == []
    invite = await sf.invitation(estate, round_row)
    bot = await answer(client, estate, invite.token, good_form(**{answer_form.HONEYPOT: "x"}))
    assert bot.status_code == 303
    assert await responses(estate, round_row) == []


async def test_one_address_may_send_only_a_few_answers_through_an_open_link(client, estate):
    round_row = await sf.survey_round(estate, open_link=True)
    hidden = await open_page(client, estate, round_row.open_token)
    # Corrections of a bad form do not count.
    bad = good_form()
    del bad["q_overall"]
    assert (await answer(client, estate, round_row.open_token, bad, hidden=hidden)).status_code == 422
    for _ in range(answering.OPEN_LIMIT):
        assert (await answer(client, estate, round_row.open_token, hidden=hidden)).status_code == 303
    refused = await answer(client, estate, round_row.open_token, hidden=hidden)
    assert refused.status_code == 429
    assert "请十分钟后再试" in refused.text
    assert len(await responses(estate, round_row)) == answering.OPEN_LIMIT
    # The limit is per link: another round's open link still takes this address's answer.
    other = await sf.survey_round(estate, open_link=True)
    assert (await answer(client, estate, other.open_token)).status_code == 303


async def test_invitation_links_are_not_limited_per_address(client, estate):
    round_row = await sf.survey_round(estate)
    for _ in range(answering.OPEN_LIMIT + 1):
        invite = await sf.invitation(estate, round_row)
        assert (await answer(client, estate, invite.token)).status_code == 303
