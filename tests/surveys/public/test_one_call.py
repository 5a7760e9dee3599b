"""An invitee's answer in one call (PostgreSQL): the form names the round it was served for, and
a process that knows the round reads and judges the answers before any query, then one call
finds the invitation in that round and stores them. Whatever the form claims, the answer lands
in its token's own round, and a round closed since it was remembered takes no answer."""

from __future__ import annotations

import pytest

from kefu.db import is_postgres
from kefu.surveys.schemas import answers as answer_form
from kefu.surveys.services import answering
from kefu.surveys.services.rounds import close_round
from tests.surveys import factories as sf
from tests.surveys.public.conftest import answer, invitation_row, open_page, responses


def _only_one_call(monkeypatch) -> None:
    async def refuse(*args, **kwargs):
        raise AssertionError("the answer took the two-call path")

    monkeypatch.setattr(answering, "_submit_pg", refuse)
    monkeypatch.setattr(answering, "_submit_locked", refuse)


async def test_an_invitees_answer_is_stored_in_one_call(client, estate, monkeypatch):
    if not is_postgres():
        pytest.skip("the one-call path is PostgreSQL's")
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row, building="5栋", household="5栋|0302")
    hidden = await open_page(client, estate, invite.token)
    assert hidden[answer_form.ROUND] == str(round_row.id)
    _only_one_call(monkeypatch)
    response = await answer(client, estate, invite.token, hidden=hidden)
    assert response.status_code == 303
    [row] = await responses(estate, round_row)
    assert row["answers"] == sf.GOOD_ANSWERS and row["is_valid"]
    assert (row["invitation_id"], row["via"]) == (invite.id, "invite")
    assert (row["building"], row["household"]) == ("5栋", "5栋|0302")
    assert (await invitation_row(estate, invite))["state"] == "answered"


async def test_a_second_answer_of_a_household_in_one_call_is_a_duplicate(client, estate, monkeypatch):
    if not is_postgres():
        pytest.skip("the one-call path is PostgreSQL's")
    template = await sf.template(estate, validity={**sf.VALIDITY, "one_per": "household"})
    round_row = await sf.survey_round(estate, template)
    first = await sf.invitation(estate, round_row, household="8栋|1801")
    second = await sf.invitation(estate, round_row, household="8栋|1801")
    pages = [await open_page(client, estate, i.token) for i in (first, second)]
    _only_one_call(monkeypatch)
    for invite, hidden in zip((first, second), pages, strict=True):
        assert (await answer(client, estate, invite.token, hidden=hidden)).status_code == 303
    stored = await responses(estate, round_row)
    assert [(r["is_valid"], r["invalid_reason"]) for r in stored] == [(True, ""), (False, "duplicate_household")]


@pytest.mark.parametrize("hint", ["²", "-1", "9" * 30, "", "0x10"])
async def test_a_round_value_that_is_not_a_round_only_costs_the_two_call_path(client, estate, hint):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    hidden = {**await open_page(client, estate, invite.token), answer_form.ROUND: hint}
    assert (await answer(client, estate, invite.token, hidden=hidden)).status_code == 303
    assert [r["invitation_id"] for r in await responses(estate, round_row)] == [invite.id]


async def test_a_forged_round_never_stores_there(client, estate):
    mine, other = await sf.survey_round(estate), await sf.survey_round(estate, title="另一轮调查")
    invite = await sf.invitation(estate, mine)
    await open_page(client, estate, (await sf.invitation(estate, other)).token)
    hidden = await open_page(client, estate, invite.token)
    hidden[answer_form.ROUND] = str(other.id)
    response = await answer(client, estate, invite.token, hidden=hidden)
    assert response.status_code == 303
    assert [r["invitation_id"] for r in await responses(estate, mine)] == [invite.id]
    assert await responses(estate, other) == []


async def test_a_round_closed_after_the_form_was_served_takes_no_answer(client, estate):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    hidden = await open_page(client, estate, invite.token)  # the round is remembered open
    assert await close_round(estate, round_row.id)
    response = await answer(client, estate, invite.token, hidden=hidden)
    assert response.status_code == 410
    assert await responses(estate, round_row) == []
    assert (await invitation_row(estate, invite))["state"] == "invited"
