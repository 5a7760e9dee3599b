"""Rounds another module sends to named people, with questions of its own: a callback campaign's
online method (A art. 23) makes one round per campaign and invites each of its customers as
their task comes to that method. The round is an ordinary round (its results, its exports),
made from a template of its own that is archived from the start, so it is not offered for new
rounds.

`invite` writes the invitation and owes its notice in the caller's transaction; the link goes
by SMS or e-mail through the outbox. Listeners (`on_answer`) hear of each stored answer to an
invitation (services.answering.submit calls `answered`), so the module that asked can act on
it; a listener's failure is logged and never loses the answer."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import msgspec

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.notifications.services import nudge
from kefu.surveys.policy.audience import Invitee
from kefu.surveys.policy.definition import Definition, Question, Section, parse_definition
from kefu.surveys.policy.rounds import OPEN
from kefu.surveys.schemas.direct import Answered, DirectInvitee, DirectQuestion
from kefu.surveys.services import invitations
from kefu.surveys.services.rounds import notice_data
from kefu.surveys.tables import SurveyRound, SurveyTemplate

log = logging.getLogger("kefu.surveys.direct")

Listener = Callable[[Answered], Awaitable[None]]
_listeners: list[Listener] = []


def on_answer(listener: Listener) -> None:
    """Hear of every answer stored for an invitation (once per listener function)."""
    if listener not in _listeners:
        _listeners.append(listener)


async def answered(event: Answered) -> None:
    for listener in list(_listeners):
        try:
            await listener(event)
        except Exception:
            log.exception("an answer listener failed (tenant %s, invitation %s)", event.tenant_id, event.invitation_id)


def _definition(questions: Sequence[DirectQuestion], intro: str) -> dict[str, Any]:
    section = Section(key="main", title="", questions=[
        Question(key=q.key, type="text", title=q.title, title_en=q.title_en, required=q.required,
                 max_length=q.max_length)
        for q in questions
    ])
    raw: dict[str, Any] = msgspec.to_builtins(Definition(sections=[section], intro=intro))
    parse_definition(raw)  # the one gate: a bad key fails here, not on the answer page
    return raw


async def start_round(tenant: TenantRow, *, title: str, questions: Sequence[DirectQuestion], closes_at: datetime,
                      intro: str = "", actor_id: int | None = None) -> int:
    """An open round (from now until `closes_at`) asking `questions`, with no audience of its
    own; its id. In the caller's transaction (a savepoint)."""
    now = clock.now()
    definition = json.dumps(_definition(questions, intro), ensure_ascii=False)
    validity = json.dumps({"require_required": True, "min_seconds": 0, "straight_line_min": 0, "one_per": "none"})
    async with transaction(tenant.id):
        template = SurveyTemplate(tenant=tenant.id, name=title[:200], definition=definition, validity=validity,
                                  pack_key="", is_archived=True, created_by=actor_id, created_at=now,
                                  updated_at=now)
        await template.save()
        row = SurveyRound(tenant=tenant.id, template=template.id, title=title[:200], definition=definition,
                          validity=validity, audience=json.dumps({"kind": "list", "customer_kinds": []}),
                          opens_at=now, closes_at=max(closes_at, now), status=OPEN, created_by=actor_id,
                          created_at=now)
        await row.save()
    return int(row.id)


async def invite(tenant: TenantRow, round_id: int, person: DirectInvitee, closes_at: datetime) -> tuple[int, str]:
    """Invite one person to an open round made by start_round, keeping the round open until at
    least `closes_at`: (invitation id, token). The notice is owed in the caller's transaction
    and sent once it commits (the outbox)."""
    channel = "sms" if person.phone else ("email" if person.email else "none")
    invitee = Invitee(name=person.name[:100], channel=channel, customer_id=person.customer_id, phone=person.phone,
                      email=person.email, locale=person.locale or "zh_CN")
    async with transaction(tenant.id):
        rows = await scoped(SurveyRound, tenant.id, SurveyRound.title, SurveyRound.closes_at).where(
            SurveyRound.id == round_id)
        if not rows:
            raise LookupError(round_id)
        until = max(rows[0]["closes_at"], closes_at)
        await SurveyRound.update({SurveyRound.closes_at: until, SurveyRound.status: OPEN,
                                  SurveyRound.invited_count: SurveyRound.invited_count + 1}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id)
        made = await invitations.insert_invitations(tenant.id, round_id, [invitee])
        ids = await invitations.owe_invitations(tenant.id, tenant.slug, made, kind="survey_invitation",
                                                data=notice_data(tenant, rows[0]["title"], until))
        await nudge(tenant.id, ids)
    inv_id, _, token = made[0]
    return inv_id, token


__all__ = ["Answered", "DirectInvitee", "DirectQuestion", "answered", "invite", "on_answer", "start_round"]
