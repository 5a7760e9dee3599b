"""Creating and opening a round: the definition is frozen, invitations and their notices are
written in one transaction, opening twice invites once, and a failure half-way leaves nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from kefu.audit.tables import AuditEvent
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.db import transaction
from kefu.notifications.tables import Notice
from kefu.surveys.policy.audience import Audience
from kefu.surveys.services import invitations, rounds
from kefu.surveys.tables import SurveyInvitation, SurveyRound, SurveyTemplate
from tests import factories
from tests.surveys import factories as survey_factories
from tests.surveys.rounds.factories import customer, scheduled_round


@pytest.fixture
async def estate():
    t = await factories.tenant(kind="property", name="幸福小区物业 " + factories.unique("e"))
    await customer(t, "业主甲", phone="13800000001")
    await customer(t, "业主乙", phone="", email="yi@example.cn", channel="email")
    await customer(t, "写信的", channel="letter")
    await customer(t, "不接受联系", consent=False)
    return t


async def _state(t, round_id):
    async with transaction(t.id, write=False):
        row = await get_in_tenant(SurveyRound, t.id, round_id)
        invites = await scoped(SurveyInvitation, t.id).where(SurveyInvitation.round == round_id).order_by(SurveyInvitation.id)
        notices = await scoped(Notice, t.id).where(Notice.subject_type == "survey_invitation").order_by(Notice.id)
    return row, invites, notices


async def test_create_freezes_the_template_and_stays_scheduled(estate):
    template = await survey_factories.template(estate)
    row = await scheduled_round(estate, template_row=template, open_link=True)
    async with transaction(estate.id):
        await SurveyTemplate.update({SurveyTemplate.definition: "{}"}).where(
            SurveyTemplate.tenant == estate.id, SurveyTemplate.id == template.id)
    stored, invites, _ = await _state(estate, row.id)
    assert stored.status == "scheduled" and invites == []
    assert json.loads(stored.definition) == survey_factories.DEFINITION
    assert stored.open_token and len(stored.open_token) >= 32


async def test_open_invites_everyone_and_owes_one_notice_per_reachable_invitee(estate):
    row = await scheduled_round(estate)
    opened = await rounds.open_round(estate, row.id)
    stored, invites, notices = await _state(estate, row.id)
    assert stored.status == "open" and stored.invited_count == 4 == opened.invited
    assert {i["name"]: i["channel"] for i in invites} == {
        "业主甲": "sms", "业主乙": "email", "写信的": "letter", "不接受联系": "none"}
    assert len({i["token"] for i in invites}) == 4
    assert sorted((n["recipient_name"], n["channel"], n["kind"]) for n in notices) == [
        ("业主乙", "email", "survey_invitation"), ("业主甲", "sms", "survey_invitation")]
    data = json.loads(notices[0]["data"])
    token = {i["id"]: i["token"] for i in invites}[notices[0]["subject_id"]]
    assert data["answer_url"].endswith(f"/p/{estate.slug}/s/{token}")
    assert data["round_title"] == row.title
    async with transaction(estate.id, write=False):
        actions = [a["action"] for a in await scoped(AuditEvent, estate.id, AuditEvent.action)]
    assert "survey_round.create" in actions and "survey_round.open" in actions


async def test_opening_twice_invites_once(estate):
    row = await scheduled_round(estate)
    await rounds.open_round(estate, row.id)
    again = await rounds.open_round(estate, row.id)
    assert again.invited == 0
    _, invites, notices = await _state(estate, row.id)
    assert len(invites) == 4 and len(notices) == 2


async def test_a_failure_half_way_leaves_no_half_round(estate, monkeypatch):
    # Given the notices cannot be written (the invitations already are, in the same transaction)
    row = await scheduled_round(estate)

    async def broken(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(invitations, "owe_notices", broken)
    with pytest.raises(RuntimeError):
        await rounds.open_round(estate, row.id)
    # then the round is still scheduled with no invitation, and opening again works whole.
    stored, invites, notices = await _state(estate, row.id)
    assert stored.status == "scheduled" and invites == [] and notices == []
    monkeypatch.undo()
    assert (await rounds.open_round(estate, row.id)).invited == 4


async def test_close_round(estate):
    row = await scheduled_round(estate)
    await rounds.open_round(estate, row.id)
    assert await rounds.close_round(estate, row.id) is True
    assert await rounds.close_round(estate, row.id) is False
    stored, _, _ = await _state(estate, row.id)
    assert stored.status == "closed" and stored.closed_at is not None
    assert (await rounds.open_round(estate, row.id)).invited == 0  # a closed round never reopens


async def test_a_person_is_refused_what_the_rounds_state_does_not_allow(estate):
    # The scheduler's lost claim is silent (another tick did it); a person is told why.
    row = await scheduled_round(estate)
    await rounds.open_round(estate, row.id, actor_id=None)
    with pytest.raises(Refused) as again:
        await rounds.open_round(estate, row.id, actor_id=1)
    assert again.value.code == "round_not_scheduled"
    assert await rounds.close_round(estate, row.id, actor_id=None) is True
    with pytest.raises(Refused) as closed:
        await rounds.close_round(estate, row.id, actor_id=1)
    assert closed.value.code == "round_closed"
    with pytest.raises(Refused) as link:
        await rounds.add_open_link(estate, row.id, None)
    assert link.value.code == "round_closed"
    stored, invites, _ = await _state(estate, row.id)
    assert stored.status == "closed" and stored.open_token is None and len(invites) == 4


@pytest.mark.parametrize(("change", "field"), [
    ({"title": ""}, "title"),
    ({"closes_at": -1}, "closes_on"),
    ({"reminder_after_days": 20}, "reminder_after_days"),
    ({"audience": Audience(kind="buildings")}, "buildings"),
    ({"template_id": 2_000_000_000}, "template_id"),
])
async def test_bad_input_names_the_field_and_creates_nothing(estate, change, field):
    template = await survey_factories.template(estate)
    now = clock.now()
    data = rounds.RoundInput(template_id=template.id, title="调查", audience=Audience(kind="all"),
                             opens_at=now, closes_at=now + timedelta(days=14))
    for key, value in change.items():
        setattr(data, key, now + timedelta(days=value) if key == "closes_at" else value)
    with pytest.raises(FieldError) as caught:
        await rounds.create_round(estate, None, data)
    assert caught.value.field == field
    async with transaction(estate.id, write=False):
        assert await scoped_count(SurveyRound, estate.id) == 0


async def test_another_tenants_template_cannot_be_used(estate):
    other = await factories.tenant(kind="property")
    theirs = await survey_factories.template(other)
    now = clock.now()
    data = rounds.RoundInput(template_id=theirs.id, title="调查", audience=Audience(kind="all"),
                             opens_at=now, closes_at=now + timedelta(days=14))
    with pytest.raises(FieldError):
        await rounds.create_round(estate, None, data)


async def test_a_thousand_invitees_in_one_go(estate):
    for n in range(3):
        await customer(estate, f"批量{n}", phone=f"1390000{n:04d}")
    t = estate
    async with transaction(t.id):
        from kefu.customers.tables import Customer

        await Customer.insert(*[
            Customer(tenant=t.id, kind="owner", name=f"业主{n}", phone=f"137{n:08d}", consent_contact=True,
                     preferred_channel="sms", household=f"h{n}") for n in range(1000)])
    row = await scheduled_round(t)
    opened = await rounds.open_round(t, row.id)
    assert opened.invited == 1007 and len(opened.notices) == 1005
    async with transaction(t.id, write=False):
        assert await scoped_count(SurveyInvitation, t.id).where(SurveyInvitation.round == row.id) == 1007
