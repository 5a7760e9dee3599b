"""Survey rounds: create (freezing the template), open (invite everyone and owe their notices in
one transaction), close. Staff pages and the half-year scheduler both call these; permissions are
checked by the caller (the route's `opt`, or the scheduler acting for the tenant).

Opening is claimed with a conditional UPDATE (scheduled → open): a second call, a double click
or two scheduler ticks find nothing to claim and invite nobody twice. The round, its invitations
and their notices commit together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.query.functions.aggregate import Count

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant, scoped
from kefu.db import transaction
from kefu.notifications.services import nudge
from kefu.surveys import invitations
from kefu.surveys.audience import Audience, check_audience, select_invitees
from kefu.surveys.definition import DefinitionError, parse_definition
from kefu.surveys.tables import SurveyResponse, SurveyRound, SurveyTemplate
from kefu.tenancy.tables import Tenant

MAX_TITLE = 200
MAX_REMINDER_DAYS = 90
MAX_WINDOW_DAYS = 366
NUDGE_MAX = 200  # more notices than this are left to the outbox sweep (every minute)


@dataclass
class RoundInput:
    template_id: int
    title: str
    audience: Audience
    opens_at: datetime
    closes_at: datetime
    reminder_after_days: int = 0
    open_link: bool = False
    half_year: str = ""


@dataclass
class Counts:
    invited: int = 0
    responded: int = 0
    valid: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.invited * 100 if self.invited else None

    @property
    def valid_rate(self) -> float | None:
        return self.valid / self.responded * 100 if self.responded else None


@dataclass
class Opened:
    invited: int = 0
    notices: list[int] = field(default_factory=list)


def _check(data: RoundInput, now: datetime) -> None:
    if not data.title.strip():
        raise FieldError("title", "This field is required.")
    if len(data.title) > MAX_TITLE:
        raise FieldError("title", "At most %(max)s characters.", max=MAX_TITLE)
    if data.closes_at <= data.opens_at:
        raise FieldError("closes_on", "The round must close after it opens.")
    if data.closes_at <= now:
        raise FieldError("closes_on", "The closing date has already passed.")
    if data.closes_at - data.opens_at > timedelta(days=MAX_WINDOW_DAYS):
        raise FieldError("closes_on", "A round may run for at most %(max)s days.", max=MAX_WINDOW_DAYS)
    if not 0 <= data.reminder_after_days <= MAX_REMINDER_DAYS:
        raise FieldError("reminder_after_days", "Enter a number from 0 to %(max)s.", max=MAX_REMINDER_DAYS)
    if data.reminder_after_days and data.opens_at + timedelta(days=data.reminder_after_days) >= data.closes_at:
        raise FieldError("reminder_after_days", "The reminder must go out before the round closes.")
    check_audience(data.audience)


async def _template(tenant_id: int, template_id: int) -> SurveyTemplate:
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


async def create_round(tenant: Tenant, actor_id: int | None, data: RoundInput) -> SurveyRound:
    """A scheduled round with the template's definition and validity frozen into it."""
    now = clock.now()
    _check(data, now)
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


async def start_round(tenant: Tenant, actor_id: int | None, data: RoundInput) -> tuple[SurveyRound, Opened | None]:
    """Create a round and open it at once when its window has started: both or neither."""
    async with transaction(tenant.id):
        row = await create_round(tenant, actor_id, data)
        opened = await open_round(tenant, row.id, actor_id) if row.opens_at <= clock.now() else None
    return row, opened


def _audience(raw: Any) -> Audience:
    return Audience.from_json(json.loads(raw) if isinstance(raw, str) else raw)


async def open_round(tenant: Tenant, round_id: int, actor_id: int | None = None) -> Opened:
    """Open a scheduled round: invitations with their tokens, one notice per reachable invitee,
    the invited count and an audit event, in one transaction. A round that is not scheduled
    (already open, or closed) is left alone: Opened() with nothing invited."""
    now = clock.now()
    async with transaction(tenant.id):
        claimed = await SurveyRound.update({SurveyRound.status: "open"}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id, SurveyRound.status == "scheduled"
        ).returning(SurveyRound.id, SurveyRound.title, SurveyRound.audience, SurveyRound.opens_at,
                    SurveyRound.closes_at)
        if not claimed:
            return Opened()
        row = claimed[0]
        if row["opens_at"] > now:  # opened early by hand: the window starts now
            await SurveyRound.update({SurveyRound.opens_at: now}).where(
                SurveyRound.tenant == tenant.id, SurveyRound.id == round_id)
        invitees = await select_invitees(tenant.id, _audience(row["audience"]))
        made = await invitations.insert_invitations(tenant.id, round_id, invitees)
        closes_on = row["closes_at"].astimezone(ZoneInfo(tenant.timezone)) - timedelta(seconds=1)
        data = {"round_title": row["title"], "closes_on": closes_on.date().isoformat()}
        ids = await invitations.owe_invitations(tenant.id, tenant.slug, made, kind="survey_invitation", data=data)
        await SurveyRound.update({SurveyRound.invited_count: len(made)}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id)
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="survey_round.open", object_type="survey_round",
            object_id=round_id, before={"status": "scheduled"},
            after={"status": "open", "invited": len(made), "notices": len(ids)},
        )
        if len(ids) <= NUDGE_MAX:
            await nudge(tenant.id, ids)
    return Opened(invited=len(made), notices=ids)


async def close_round(tenant: Tenant, round_id: int, actor_id: int | None = None) -> bool:
    """Close a scheduled or open round; False if it was closed already."""
    async with transaction(tenant.id):
        changed = await SurveyRound.update(
            {SurveyRound.status: "closed", SurveyRound.closed_at: clock.now()}
        ).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id,
            SurveyRound.status.is_in(["scheduled", "open"]),
        ).returning(SurveyRound.id, SurveyRound.invited_count)
        if changed:
            await audit.record(
                tenant_id=tenant.id, actor_id=actor_id, action="survey_round.close", object_type="survey_round",
                object_id=round_id, after={"status": "closed"},
            )
    return bool(changed)


async def add_open_link(tenant: Tenant, round_id: int, actor_id: int | None) -> str:
    """The round's anonymous link token, made now if it has none."""
    async with transaction(tenant.id):
        row = await get_in_tenant(SurveyRound, tenant.id, round_id)
        if row.open_token:
            return row.open_token
        if row.status == "closed":
            raise FieldError("open_link", "This round is closed.")
        token = invitations.new_token()
        await SurveyRound.update({SurveyRound.open_token: token}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id, SurveyRound.open_token.is_null())
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="survey_round.open_link", object_type="survey_round",
            object_id=round_id, after={"open_link": True},
        )
    return token


async def counts(tenant_id: int, rounds: list[dict[str, Any]]) -> dict[int, Counts]:
    """Invited, responded and valid per round: live while a round runs."""
    ids = [r["id"] for r in rounds]
    found = {r["id"]: Counts(invited=r["invited_count"]) for r in rounds}
    if not ids:
        return found
    for valid_only in (False, True):
        query = scoped(SurveyResponse, tenant_id, SurveyResponse.round.as_alias("round"), Count()).where(
            SurveyResponse.round.is_in(ids))
        if valid_only:
            query = query.where(SurveyResponse.is_valid.eq(True))
        for r in await query.group_by(SurveyResponse.round):
            if valid_only:
                found[r["round"]].valid = r["count"]
            else:
                found[r["round"]].responded = r["count"]
    return found


ROUND_COLUMNS = (
    SurveyRound.id, SurveyRound.title, SurveyRound.status, SurveyRound.opens_at, SurveyRound.closes_at,
    SurveyRound.half_year, SurveyRound.invited_count, SurveyRound.open_token, SurveyRound.reminder_after_days,
    SurveyRound.reminders_sent_at, SurveyRound.closed_at, SurveyRound.template.name.as_alias("template_name"),
)


async def list_rounds(tenant_id: int, limit: int = 200) -> list[dict[str, Any]]:
    return await scoped(SurveyRound, tenant_id, *ROUND_COLUMNS).order_by(
        SurveyRound.opens_at, ascending=False).limit(limit)
