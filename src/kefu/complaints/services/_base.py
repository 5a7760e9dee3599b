"""What every complaint transition shares: permission, the allowed-transition check, the row
locked for the change, deadlines recomputed, the audit event and the notices owed — all in the
tenant's transaction — then the outbox nudged after commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from litestar.exceptions import ClientException, NotFoundException

from kefu.audit import services as audit
from kefu.complaints.policy import (
    ACTIONS,
    ComplaintFacts,
    ComplaintPolicy,
    Refusal,
    next_status,
    policy_for,
    refusal,
)
from kefu.complaints.services import outbox
from kefu.complaints.services.deadlines import apply_deadlines
from kefu.complaints.tables import Complaint, ComplaintNote, ContactInfo
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.scoping import get_in_tenant, scoped, scoped_count, scoped_objects
from kefu.core.tenancy import TenantContext, TenantRow, UserRow
from kefu.core.workdays import WorkCalendar
from kefu.db import is_postgres, transaction
from kefu.holidays.services import load_calendar
from kefu.tenancy.queries import members_with as members_with  # part of complaints.services

# Fields the audit trail compares before and after each change.
AUDITED = (
    "status", "received_on", "period_start_on", "materials_incomplete", "materials_complete_on",
    "materials_notice_due", "acceptance_notice_due", "decision_due", "deadlines_provisional",
    "handler", "department", "review_ground", "review_reason", "transferred_to", "decision",
    "remedy", "decided_on", "decision_text", "extensions_granted", "paused_days", "paused_since", "repeat_of",
    "is_major", "closed_on", "regulator_report_sent_on",
)


class TransitionNotAllowed(Refused, ClientException):
    """The action is not allowed from the complaint's status, or the policy forbids it now
    (policy.refusal). A ClientException too, so outside a page that shows the refusal the app
    answers 409."""

    status_code = 409

    def __init__(self, refused: Refusal, **variables: object) -> None:
        ClientException.__init__(self, detail=refused.code)
        Refused.__init__(self, refused.code, refused.message, **variables)

    def __str__(self) -> str:
        return self.code


def tenant_policy(tenant: TenantRow) -> ComplaintPolicy:
    return policy_for(tenant.kind, tenant.settings)


def snapshot(c: Complaint, fields: tuple[str, ...] = AUDITED) -> dict[str, Any]:
    out = {}
    for f in fields:
        v = getattr(c, f)
        out[f] = v.isoformat() if isinstance(v, date) else v
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


async def lock_complaint(tenant_id: int, complaint_id: int) -> Complaint:
    """The complaint, locked for this transaction (PostgreSQL; SQLite write transactions are
    IMMEDIATE, so writers are serialised already). 404 for another tenant's id."""
    if not is_postgres():
        return await get_in_tenant(Complaint, tenant_id, complaint_id)
    row = await (
        scoped_objects(Complaint, tenant_id).where(Complaint.id == complaint_id).lock_rows().first()
    )
    if row is None:
        raise NotFoundException()  # the same 404 as get_in_tenant's
    return row


class Step:
    """One transition in progress: the locked row, the policy, and the notices it owes."""

    def __init__(self, ctx: TenantContext, c: Complaint, action: str, calendar: WorkCalendar):
        self.ctx = ctx
        self.c = c
        self.action = action
        self.calendar = calendar
        self.policy = tenant_policy(ctx.tenant)
        self.today = clock.today_in(ctx.tenant.timezone)
        self.before = snapshot(c)
        self.before_status = c.status
        self.notice_ids: list[int] = []
        self.audit_extra: dict[str, Any] = {}  # e.g. the reason, added to the audit event
        self._contact_phone: str | None = None

    def recompute(self) -> None:
        """Status and deadlines after the change (call before owing a notice that shows them)."""
        self.c.status = next_status(self.before_status, self.action)
        apply_deadlines(self.c, self.policy, self.calendar, self.today)

    async def contact_phone(self) -> str:
        """A art. 11: the published complaint phone, which every notice may show."""
        if self._contact_phone is None:
            row = await scoped(ContactInfo, self.ctx.tenant_id, ContactInfo.phone).first()
            self._contact_phone = row["phone"] if row else ""
        return self._contact_phone

    async def owe(self, kind: str, key: str, due_on: date | None, **data: Any) -> None:
        """Owe the complainant a notice (after recomputing, so it shows the new dates)."""
        self.recompute()
        c = self.c
        data.setdefault("contact_phone", await self.contact_phone())
        self._keep(await outbox.owe(
            c.tenant, c.id, kind=kind, key=key, due_on=due_on,
            data=outbox.notice_data(c, **data),
            recipient=outbox.complainant_recipient(c), channel=outbox.complainant_channel(c),
        ))

    async def owe_staff(self, user: UserRow, kind: str, key: str, **data: Any) -> None:
        c = self.c
        self._keep(await outbox.owe(
            c.tenant, c.id, kind=kind, key=f"{key}:{user.id}", due_on=None,
            data=outbox.notice_data(c, **data),
            recipient=outbox.staff_recipient(user), channel="email",
        ))

    def _keep(self, notice_id: int | None) -> None:
        if notice_id is not None:
            self.notice_ids.append(notice_id)

    async def save(self) -> None:
        self.recompute()
        self.c.updated_at = clock.now()
        await self.c.save()
        before, after = diff(self.before, snapshot(self.c))
        after.update(self.audit_extra)
        await audit.record(
            tenant_id=self.ctx.tenant_id, actor_id=self.ctx.user.id,
            action=f"complaint.{self.action}", object_type="complaint", object_id=self.c.id,
            before=before, after=after,
        )


async def _major_report_filed(tenant_id: int, c: Complaint) -> bool:
    reports = await scoped_count(ComplaintNote, tenant_id).where(
        ComplaintNote.complaint == c.id, ComplaintNote.kind == "major_report"
    )
    return bool(reports)


EXTENSION_REQUEST = "extension_request"  # a ComplaintNote kind: an extension asked for
EXTENSION_SETTLED = "extension_settled"  # ... and settled by the extension granted


async def extension_requested(tenant_id: int, complaint_id: int) -> bool:
    return bool(await scoped_count(ComplaintNote, tenant_id).where(
        ComplaintNote.complaint == complaint_id, ComplaintNote.kind == EXTENSION_REQUEST))


async def settle_extension_requests(tenant_id: int, complaint_id: int) -> str:
    """Mark the pending requests granted; the reason of the latest ("" if none)."""
    row = await scoped(ComplaintNote, tenant_id, ComplaintNote.body).where(
        ComplaintNote.complaint == complaint_id, ComplaintNote.kind == EXTENSION_REQUEST
    ).order_by(ComplaintNote.id, ascending=False).first()
    await ComplaintNote.update({ComplaintNote.kind: EXTENSION_SETTLED}).where(
        ComplaintNote.tenant == tenant_id, ComplaintNote.complaint == complaint_id,
        ComplaintNote.kind == EXTENSION_REQUEST)
    return row["body"] if row else ""


def is_senior(ctx: TenantContext, policy: ComplaintPolicy) -> bool:
    """The member holds a position the pack names as senior (the 2020 rules' senior manager)."""
    return bool(set(ctx.membership.positions_list()) & set(policy.senior_positions))


async def check_allowed(ctx: TenantContext, c: Complaint, name: str) -> None:
    """policy.refusal for action `name` on the locked row; TransitionNotAllowed (409) if any."""
    filed = name == "close" and c.is_major and await _major_report_filed(ctx.tenant_id, c)
    asked = "extension" in name or name == "extend"
    requested = asked and await extension_requested(ctx.tenant_id, c.id)
    policy = tenant_policy(ctx.tenant)
    facts = ComplaintFacts.of(c, user_id=ctx.user.id, major_report_filed=bool(filed),
                              is_senior=is_senior(ctx, policy), extension_requested=requested)
    today = clock.today_in(ctx.tenant.timezone)
    why = refusal(name, facts, policy, today)
    if why is not None:
        raise TransitionNotAllowed(why)


@asynccontextmanager
async def change(ctx: TenantContext, complaint_id: int, name: str) -> AsyncIterator[Step]:
    """Check the permission of action `name` (policy.ACTIONS), lock the complaint, check the
    policy allows the action now, yield the Step for the caller's edits, then save and audit;
    nudge the outbox after commit.

    Raises PermissionDeniedException (403), NotFoundException (404), TransitionNotAllowed (409).
    """
    action = ACTIONS[name]
    assert action.transition is not None, name
    ctx.require(action.permission)
    async with transaction(ctx.tenant_id):
        c = await lock_complaint(ctx.tenant_id, complaint_id)
        await check_allowed(ctx, c, name)
        step = Step(ctx, c, action.transition, await load_calendar())
        yield step
        await step.save()
    await outbox.nudge(ctx.tenant_id, step.notice_ids)
