"""Validity (有效问卷) recorded with each answer: too fast, straight-lining, a second answer of
the same household or customer, a tampered or missing start time. Invalid answers are kept,
with their reason."""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock
from kefu.customers.tables import Customer
from kefu.db import transaction
from kefu.surveys.schemas import answers as answer_form
from kefu.surveys.tables import SurveyInvitation
from tests.surveys import factories as sf
from tests.surveys.public.conftest import answer, good_form, hidden_fields, open_page, responses

RULES = {"require_required": True, "min_seconds": 60, "straight_line_min": 4, "one_per": "household"}


async def _round(estate, **validity):
    return await sf.survey_round(estate, validity={**RULES, **validity})


async def _verdict(estate, round_row):
    row = (await responses(estate, round_row))[-1]
    return row["is_valid"], row["invalid_reason"]


async def test_a_response_above_the_time_floor_is_valid(client, estate):
    round_row = await _round(estate)
    invite = await sf.invitation(estate, round_row)
    assert (await answer(client, estate, invite.token, started_ago=61)).status_code == 303
    assert await _verdict(estate, round_row) == (True, "")


async def test_too_fast_is_kept_but_invalid(client, estate):
    round_row = await _round(estate)
    invite = await sf.invitation(estate, round_row)
    assert (await answer(client, estate, invite.token, started_ago=20)).status_code == 303
    assert await _verdict(estate, round_row) == (False, "too_fast")
    assert (await responses(estate, round_row))[0]["answers"] == sf.GOOD_ANSWERS


async def test_a_tampered_or_missing_start_time_counts_as_zero_seconds(client, estate):
    round_row = await _round(estate)
    for forged in ("", "1.deadbeef", answer_form.sign_started("another-token", clock.now() - timedelta(hours=1)),
                   answer_form.sign_started("x", clock.now() - timedelta(hours=1)).replace(".", "0.", 1)):
        invite = await sf.invitation(estate, round_row)
        hidden = await open_page(client, estate, invite.token)
        hidden[answer_form.STARTED] = forged
        assert (await answer(client, estate, invite.token, hidden=hidden, started_ago=None)).status_code == 303
        row = (await responses(estate, round_row))[-1]
        assert (row["is_valid"], row["invalid_reason"], row["duration_seconds"]) == (False, "too_fast", 0), forged
        assert row["started_at"] is None


async def test_straight_lining_is_kept_but_invalid(client, estate):
    round_row = await _round(estate)
    invite = await sf.invitation(estate, round_row)
    same = good_form(q_overall="5", q_services__front_desk="5", q_services__cleaning="5", q_services__security="5")
    assert (await answer(client, estate, invite.token, same)).status_code == 303
    assert await _verdict(estate, round_row) == (False, "straight_lining")


async def test_a_second_answer_of_a_household_is_kept_but_invalid(client, estate):
    round_row = await _round(estate)
    first = await sf.invitation(estate, round_row, name="王先生", household="5栋|0301")
    second = await sf.invitation(estate, round_row, name="王太太", household="5栋|0301")
    neighbour = await sf.invitation(estate, round_row, name="李先生", household="5栋|0302")
    assert (await answer(client, estate, first.token)).status_code == 303
    assert (await answer(client, estate, second.token)).status_code == 303
    assert (await answer(client, estate, neighbour.token)).status_code == 303
    verdicts = [(r["household"], r["is_valid"], r["invalid_reason"]) for r in await responses(estate, round_row)]
    assert verdicts == [("5栋|0301", True, ""), ("5栋|0301", False, "duplicate_household"), ("5栋|0302", True, "")]


async def test_an_invalid_first_answer_does_not_block_the_household(client, estate):
    round_row = await _round(estate)
    first = await sf.invitation(estate, round_row, household="6栋|0101")
    second = await sf.invitation(estate, round_row, household="6栋|0101")
    assert (await answer(client, estate, first.token, started_ago=5)).status_code == 303  # too fast
    assert (await answer(client, estate, second.token)).status_code == 303
    assert [r["invalid_reason"] for r in await responses(estate, round_row)] == ["too_fast", ""]


async def test_a_second_answer_of_a_customer_is_kept_but_invalid(client, estate):
    round_row = await _round(estate, one_per="customer")
    customer = Customer(tenant=estate.id, kind="owner", name="赵女士", household="7栋|0808")
    async with transaction(estate.id):
        await customer.save()
    invites = [await sf.invitation(estate, round_row, household=f"7栋|{n}") for n in range(2)]
    async with transaction(estate.id):
        for invite in invites:
            await SurveyInvitation.update({SurveyInvitation.customer: customer.id}).where(
                SurveyInvitation.tenant == estate.id, SurveyInvitation.id == invite.id)
    for invite in invites:
        assert (await answer(client, estate, invite.token)).status_code == 303
    assert [r["invalid_reason"] for r in await responses(estate, round_row)] == ["", "duplicate_customer"]


async def test_open_link_answers_are_not_matched_to_households(client, estate):
    round_row = await sf.survey_round(estate, open_link=True, validity=RULES)
    for _ in range(2):
        assert (await answer(client, estate, round_row.open_token)).status_code == 303
    assert [r["is_valid"] for r in await responses(estate, round_row)] == [True, True]


async def test_correcting_an_error_does_not_restart_the_clock(client, estate):
    round_row = await _round(estate)
    invite = await sf.invitation(estate, round_row)
    bad = good_form()
    del bad["q_overall"]
    refused = await answer(client, estate, invite.token, bad, started_ago=300)
    assert refused.status_code == 422
    hidden = hidden_fields(refused.text)
    assert answer_form.read_started(invite.token, hidden[answer_form.STARTED]) <= clock.now() - timedelta(seconds=299)
    done = await answer(client, estate, invite.token, hidden=hidden, started_ago=None)
    assert done.status_code == 303
    row = (await responses(estate, round_row))[0]
    assert row["is_valid"] and row["duration_seconds"] >= 299
