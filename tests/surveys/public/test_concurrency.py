"""Two submits of one invitation at the same moment store exactly one response."""

from __future__ import annotations

import asyncio

from kefu.surveys.schemas import answers as answer_form
from kefu.surveys.services import answering
from tests.surveys import factories as sf
from tests.surveys.public.conftest import good_form, invitation_row, responses


def _form(**over) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in good_form(**over).items()}


async def test_two_simultaneous_submits_of_one_token_store_one_response(estate):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    started = answer_form.sign_started(invite.token)
    outcomes = await asyncio.gather(
        answering.submit(estate, invite.token, _form(), started, "10.0.0.1"),
        answering.submit(estate, invite.token, _form(q_overall="1"), started, "10.0.0.2"),
    )
    kinds = sorted(o.kind for o in outcomes)
    assert kinds == ["already_answered", "saved"]
    stored = await responses(estate, round_row)
    assert len(stored) == 1
    winner = next(o for o in outcomes if o.kind == "saved")
    assert stored[0]["id"] == winner.response_id
    assert stored[0]["answers"] == winner.answers
    assert (await invitation_row(estate, invite))["state"] == "answered"


async def test_many_simultaneous_submits_store_one_each(estate):
    round_row = await sf.survey_round(estate)
    invites = [await sf.invitation(estate, round_row) for _ in range(6)]
    outcomes = await asyncio.gather(*[
        answering.submit(estate, invite.token, _form(), answer_form.sign_started(invite.token), "10.0.0.3")
        for invite in invites for _ in range(2)
    ])
    assert sorted(o.kind for o in outcomes) == ["already_answered"] * 6 + ["saved"] * 6
    assert len(await responses(estate, round_row)) == 6


async def test_one_household_answering_at_once_counts_once(estate):
    # The one-per-household lock: members of one flat submitting at the same moment are all
    # kept, exactly one of them valid.
    template = await sf.template(estate, validity={**sf.VALIDITY, "one_per": "household"})
    round_row = await sf.survey_round(estate, template)
    invites = [await sf.invitation(estate, round_row, household="8栋|1801") for _ in range(4)]
    outcomes = await asyncio.gather(*[
        answering.submit(estate, invite.token, _form(), answer_form.sign_started(invite.token), "10.0.0.4")
        for invite in invites
    ])
    assert [o.kind for o in outcomes] == ["saved"] * 4
    stored = await responses(estate, round_row)
    assert sorted((r["is_valid"], r["invalid_reason"]) for r in stored) == (
        [(False, "duplicate_household")] * 3 + [(True, "")])
    assert sorted(o.is_valid for o in outcomes) == [False, False, False, True]
