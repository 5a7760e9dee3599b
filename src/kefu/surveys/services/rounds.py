"""Survey rounds: create (freezing the template), open (invite everyone and owe their notices in
one transaction), close, add an open link, remind. Staff pages and the half-year scheduler both
call these; permissions are checked by the caller (the route's guard, or the scheduler acting
for the tenant); what a round's state allows is policy.rounds.

Opening is claimed with a conditional UPDATE (scheduled → open): a second call, a double click
or two scheduler ticks find nothing to claim and invite nobody twice. The round, its invitations
and their notices commit together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.notifications.services import nudge
from kefu.surveys.policy import rounds as policy
from kefu.surveys.policy.audience import Audience
from kefu.surveys.policy.definition import DefinitionError, parse_definition
from kefu.surveys.policy.rounds import RoundInput, check_round
from kefu.surveys.queries.audience import select_invitees
from kefu.surveys.services import invitations
from kefu.surveys.tables import SurveyRound, SurveyTemplate

NUDGE_MAX = 200  # more notices than this are left to the outbox sweep (every minute)


@dataclass
class Opened:
    invited: int = 0
    notices: list[int] = field(default_factory=list)


async def _template(tenant_id: int, template_id: int) -> dict[str, Any]:
    row = await scoped(SurveyTemplate, tenant_id).where(SurveyTemplate.id == template_id).first() \
        if 1 <= template_id < 2**31 else None
    if row is None or row["is_archived"]:
        raise FieldError("template_id", "Choose a value from the list.")
    try:
        definition = parse_definition(row["definition"])
    except DefinitionError:
        raise FieldError("template_id", "This template has an error; fix it in the template editor.") from None
    if not definition.questions():
        raise FieldError("template_id", "This template has no questions yet.")
    return row


async def create_round(tenant: TenantRow, actor_id: int | None, data: RoundInput) -> SurveyRound:
    """A scheduled round with the template's definition and validity frozen into it."""
    now = clock.now()
    check_round(data, now)
    async with transaction(tenant.id):
        template = await _template(tenant.id, data.template_id)
        row = SurveyRound(
            tenant=tenant.id, template=template["id"], title=data.title.strip(),
            definition=template["definition"], validity=template["validity"],
            audience=json.dumps(data.audience.to_json(), ensure_ascii=False),
            opens_at=data.opens_at, closes_at=data.closes_at, status="scheduled",
            half_year=data.half_year, reminder_after_days=data.reminder_after_days,
            open_token=invitations.new_token() if data.open_link else None,
            created_by=actor_id, created_at=now,
        )
        await row.save()
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="survey_round.create", object_type="survey_round",
            object_id=row.id, after={"title": row.title, "template_id": template["id"], "half_year": data.half_year,
                                     "audience": data.audience.kind, "open_link": data.open_link,
                                     "opens_at": data.opens_at.isoformat(), "closes_at": data.closes_at.isoformat()},
        )
    return row


async def start_round(tenant: TenantRow, actor_id: int | None, data: RoundInput) -> tuple[SurveyRound, Opened | None]:
    """Create a round and open it at once when its window has started: both or neither."""
    async with transaction(tenant.id):
        row = await create_round(tenant, actor_id, data)
        opened = await open_round(tenant, row.id, actor_id) if row.opens_at <= clock.now() else None
    return row, opened


def _audience(raw: Any) -> Audience:
    return Audience.from_json(json.loads(raw) if isinstance(raw, str) else raw)


def notice_data(tenant: TenantRow, title: str, closes_at: datetime) -> dict[str, str]:
    return {"round_title": title, "closes_on": policy.closes_on(closes_at, tenant.timezone).isoformat()}


async def _refuse_unless(tenant: TenantRow, round_id: int, action: str) -> None:
    """After a lost claim, when a person asked: Refused with the policy's reason (a 404 for a
    round that is not this tenant's). The scheduler does not ask: its lost claim means another
    tick did the work."""
    row = await get_in_tenant(SurveyRound, tenant.id, round_id)
    refused = policy.refusal(action, row.status, has_open_link=bool(row.open_token))
    if refused is not None:
        raise Refused(*refused)


async def open_round(tenant: TenantRow, round_id: int, actor_id: int | None = None) -> Opened:
    """Open a scheduled round: invitations with their tokens, one notice per reachable invitee,
    the invited count and an audit event, in one transaction. A round that is not scheduled
    (already open, or closed) is left alone: Opened() with nothing invited for the scheduler,
    Refused for a person (`actor_id`)."""
    now = clock.now()
    async with transaction(tenant.id):
        claimed = await SurveyRound.update({SurveyRound.status: policy.OPEN}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id, SurveyRound.status == policy.SCHEDULED
        ).returning(SurveyRound.id, SurveyRound.title, SurveyRound.audience, SurveyRound.opens_at,
                    SurveyRound.closes_at)
        if not claimed:
            if actor_id is not None:
                await _refuse_unless(tenant, round_id, policy.OPEN_NOW)
            return Opened()
        row = claimed[0]
        if row["opens_at"] > now:  # opened early by hand: the window starts now
            await SurveyRound.update({SurveyRound.opens_at: now}).where(
                SurveyRound.tenant == tenant.id, SurveyRound.id == round_id)
        opened = await _invite(tenant, round_id, row)
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="survey_round.open", object_type="survey_round",
            object_id=round_id, before={"status": "scheduled"},
            after={"status": "open", "invited": opened.invited, "notices": len(opened.notices)},
        )
        if len(opened.notices) <= NUDGE_MAX:
            await nudge(tenant.id, opened.notices)
    return opened


async def _invite(tenant: TenantRow, round_id: int, row: dict[str, Any]) -> Opened:
    """The audience's invitations and the notices they owe; the round's invited count."""
    invitees = await select_invitees(tenant.id, _audience(row["audience"]))
    made = await invitations.insert_invitations(tenant.id, round_id, invitees)
    data = notice_data(tenant, row["title"], row["closes_at"])
    ids = await invitations.owe_invitations(tenant.id, tenant.slug, made, kind="survey_invitation", data=data)
    await SurveyRound.update({SurveyRound.invited_count: len(made)}).where(
        SurveyRound.tenant == tenant.id, SurveyRound.id == round_id)
    return Opened(invited=len(made), notices=ids)


async def close_round(tenant: TenantRow, round_id: int, actor_id: int | None = None) -> bool:
    """Close a scheduled or open round; False if it was closed already (Refused for a person)."""
    async with transaction(tenant.id):
        changed = await SurveyRound.update(
            {SurveyRound.status: policy.CLOSED, SurveyRound.closed_at: clock.now()}
        ).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id,
            SurveyRound.status.is_in([policy.SCHEDULED, policy.OPEN]),
        ).returning(SurveyRound.id, SurveyRound.invited_count)
        if changed:
            await audit.record(
                tenant_id=tenant.id, actor_id=actor_id, action="survey_round.close", object_type="survey_round",
                object_id=round_id, after={"status": "closed"},
            )
        elif actor_id is not None:
            await _refuse_unless(tenant, round_id, policy.CLOSE)
    return bool(changed)


async def add_open_link(tenant: TenantRow, round_id: int, actor_id: int | None) -> str:
    """The round's anonymous link token, made now if it has none; Refused for a closed round."""
    async with transaction(tenant.id):
        row = await get_in_tenant(SurveyRound, tenant.id, round_id)
        if row.open_token:
            return row.open_token
        refused = policy.refusal(policy.ADD_OPEN_LINK, row.status, has_open_link=False)
        if refused is not None:
            raise Refused(*refused)
        token = invitations.new_token()
        await SurveyRound.update({SurveyRound.open_token: token}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id, SurveyRound.open_token.is_null())
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="survey_round.open_link", object_type="survey_round",
            object_id=round_id, after={"open_link": True},
        )
    return token


async def remind_round(tenant: TenantRow, round_id: int) -> int:
    """Owe one reminder to each non-responder of the round, once; how many were owed. The
    round's `reminders_sent_at` is claimed by a conditional UPDATE, so overlapping ticks remind
    once; notices are unique per invitation and each invitation's `reminded_at` is set."""
    now = clock.now()
    async with transaction(tenant.id):
        claimed = await SurveyRound.update({SurveyRound.reminders_sent_at: now}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id, SurveyRound.status == policy.OPEN,
            SurveyRound.reminders_sent_at.is_null(),
        ).returning(SurveyRound.title, SurveyRound.closes_at)
        if not claimed:
            return 0
        pending = await invitations.pending_reminders(tenant.id, round_id)
        data = notice_data(tenant, claimed[0]["title"], claimed[0]["closes_at"])
        ids = await invitations.owe_invitations(tenant.id, tenant.slug, pending, kind="survey_reminder", data=data)
        await invitations.mark_reminded(tenant.id, [p[0] for p in pending], now)
        await audit.record(
            tenant_id=tenant.id, actor_id=None, action="survey_round.remind", object_type="survey_round",
            object_id=round_id, after={"reminded": len(pending), "notices": len(ids)},
        )
        if len(ids) <= NUDGE_MAX:
            await nudge(tenant.id, ids)
    return len(pending)
