"""Handling (A art. 17–18): handler, notes, decision, extensions, appraisal pauses, close."""

from __future__ import annotations

from datetime import date

from litestar.exceptions import PermissionDeniedException

from kefu.audit import services as audit
from kefu.complaints.policy import DECISIONS, may_decide, paused_length
from kefu.complaints.services._base import change, settle_extension_requests, tenant_policy
from kefu.complaints.services.intake import _reason
from kefu.complaints.tables import Complaint, ComplaintNote
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext, UserRow
from kefu.db import transaction
from kefu.duties.services import require_cleared
from kefu.tenancy.queries import members_holding

MAX_NOTE = 10_000
RESUME_REASON = "鉴定已完成，鉴定期间不计入处理期限"
OUTCOME_LABELS = {"upheld": "支持", "partly": "部分支持", "not_upheld": "不支持"}


async def handler_candidates(ctx: TenantContext) -> list[UserRow]:
    """Who may be given a complaint: active members whose positions grant complaints.handle,
    or who hold a position the pack's policy lists in `handler_positions`."""
    return await members_holding(ctx.tenant_id, ctx.pack, permission="complaints.handle",
                                 positions=tenant_policy(ctx.tenant).handler_positions)


async def assign_handler(ctx: TenantContext, complaint_id: int, *, handler_id: int) -> Complaint:
    """Give an accepted complaint to a handler (one of handler_candidates, else
    FieldError("handler")). The handler is told by email.
    accepted | investigating -> investigating. Raises 403 (complaints.review), 404, 409."""
    ctx.require("complaints.review")
    handlers = {u.id: u for u in await handler_candidates(ctx)}
    if handler_id not in handlers:
        raise FieldError("handler", "Choose a member who may handle complaints.")
    await require_cleared(ctx, handler_id, "complaints.handle")  # A art. 8: the handler is trained
    async with change(ctx, complaint_id, "assign") as step:
        step.c.handler = handler_id
        step.recompute()
        await step.owe_staff(handlers[handler_id], "assignment_notice", "assigned")
    return step.c


async def add_note(
    ctx: TenantContext, complaint_id: int, *, body: str, kind: str = "note"
) -> ComplaintNote:
    """An internal note (never public). kind "major_report" is the B.k written report on a major
    complaint (needs complaints.handle). Raises FieldError("body"), 403 (complaints.view), 404."""
    body = (body or "").strip()
    if not body:
        raise FieldError("body", "This field is required.")
    if len(body) > MAX_NOTE:
        raise FieldError("body", "At most %(max)s characters.", max=MAX_NOTE)
    if kind not in ("note", "major_report"):
        raise FieldError("kind", "Choose one of the listed values.")
    ctx.require("complaints.handle" if kind == "major_report" else "complaints.view")
    async with transaction(ctx.tenant_id):
        c = await get_in_tenant(Complaint, ctx.tenant_id, complaint_id)
        if kind == "major_report" and not c.is_major:
            raise FieldError("kind", "Only a major complaint takes a major-complaint report.")
        note = ComplaintNote(tenant=ctx.tenant_id, complaint=c.id, author=ctx.user.id, kind=kind,
                             body=body)
        await note.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"complaint.{kind}",
            object_type="complaint", object_id=c.id, after={"note_id": note.id, "chars": len(body)},
        )
    return note


async def record_decision(
    ctx: TenantContext, complaint_id: int, *, decision: str, text: str, remedy: str = ""
) -> Complaint:
    """A art. 17–18: the outcome (upheld | partly | not_upheld), the findings and decision as
    told to the complainant (`text`) and the remedy (required unless not upheld); owes the
    decision notice, due on the decision date. Only the handler or a reviewer may decide.
    investigating -> decided. Raises FieldError (decision, text, remedy), 403
    (complaints.handle), 404, 409."""
    if decision not in DECISIONS:
        raise FieldError("decision", "Choose one of the listed values.")
    text = _reason("text", text, limit=MAX_NOTE)
    remedy = _reason("remedy", remedy, required=decision != "not_upheld")
    async with change(ctx, complaint_id, "decide") as step:
        await require_cleared(ctx, ctx.user.id, "complaints.decide")  # A art. 8
        c = step.c
        if not may_decide(c.handler == ctx.user.id, ctx.permissions):
            raise PermissionDeniedException(detail="permission:complaints.handle (not the handler)")
        c.decision, c.decision_text, c.remedy, c.decided_on = decision, text, remedy, step.today
        await step.owe(
            "decision_notice", "decision_notice", c.decision_due,
            outcome=OUTCOME_LABELS[decision], outcome_code=decision, decision=text, remedy=remedy,
            # 2020 rules: where to turn if the complainant disagrees, in the pack's wording.
            remedies=[r.label for r in step.policy.decision_remedies],
            remedies_en=[r.label_en for r in step.policy.decision_remedies],
        )
    return step.c


async def grant_extension(ctx: TenantContext, complaint_id: int, *, reason: str) -> Complaint:
    """Extend the decision period by the policy's next step (insurance: +15, then +30 days;
    2020 办法 art. 19), approved by a holder of complaints.approve_extension, before the period
    ends; the second one only by a member of the pack's senior positions. Under review or in
    handling. Owes a notice with the reason, due by the old decision date. A pending request
    is settled by it. Raises FieldError("reason"), 403, 404, 409 (status, cap reached, period
    already over, senior_approval_needed)."""
    reason = _reason("reason", reason)
    return await _extend(ctx, complaint_id, "extend", reason)


async def _extend(ctx: TenantContext, complaint_id: int, name: str, reason: str | None) -> Complaint:
    """reason None: the pending request's (approve_extension)."""
    async with change(ctx, complaint_id, name) as step:
        c = step.c
        asked = await settle_extension_requests(ctx.tenant_id, c.id)
        reason = asked if reason is None else reason
        old_due = c.decision_due
        c.extensions_granted += 1
        step.recompute()  # the notice tells the new date
        await step.owe(
            "extension_notice", f"extension:{c.extensions_granted}", old_due,
            reason=reason, extended_to=c.decision_due, previous_due=old_due,
        )
        step.audit_extra = {"reason": reason}
    return step.c


async def pause_for_appraisal(ctx: TenantContext, complaint_id: int, *, reason: str) -> Complaint:
    """Stop the decision clock while an external appraisal runs (if the policy allows it);
    the complainant is told. Raises FieldError("reason"), 403 (complaints.handle), 404, 409."""
    reason = _reason("reason", reason)
    async with change(ctx, complaint_id, "pause") as step:
        step.c.paused_since = step.today
        await step.owe(
            "pause_notice", f"pause:{step.today.isoformat()}", None,
            reason=reason, paused_on=step.today,
        )
        step.audit_extra = {"reason": reason}
    return step.c


async def resume_after_appraisal(ctx: TenantContext, complaint_id: int) -> Complaint:
    """The appraisal is done: the paused days are added to the decision period and the
    complainant is told the new decision date. Raises 403 (complaints.handle), 404, 409."""
    async with change(ctx, complaint_id, "resume") as step:
        c = step.c
        assert c.paused_since is not None  # policy.refusal: "not_paused"
        # In the decision rule's unit: a period in working days grows by the working days
        # the pause covered, not by calendar days.
        c.paused_days += paused_length(step.policy.decision, step.calendar, c.paused_since, step.today)
        c.paused_since = None
        step.recompute()
        # Told as a new decision date: the extension notice's wording fits it.
        await step.owe(
            "extension_notice", f"resume:{step.today.isoformat()}", None,
            reason=RESUME_REASON, extended_to=c.decision_due, resumed_on=step.today,
        )
    return step.c


async def close_complaint(ctx: TenantContext, complaint_id: int) -> Complaint:
    """Close a decided complaint. B.k: where the policy asks for it, a major complaint needs its
    written report first. decided -> closed. Raises 403 (complaints.handle), 404, 409."""
    async with change(ctx, complaint_id, "close") as step:
        step.c.closed_on = step.today
    return step.c


async def mark_major(ctx: TenantContext, complaint_id: int, *, major: bool = True) -> Complaint:
    """Flag (or unflag) a major complaint (B.k). Any open status. Raises 403
    (complaints.review), 404, 409."""
    async with change(ctx, complaint_id, "major") as step:
        step.c.is_major = major
    return step.c


async def record_regulator_report(
    ctx: TenantContext, complaint_id: int, *, sent_on: date | None = None
) -> Complaint:
    """A art. 13: the written report asked for by the transferring regulator was sent (default
    today). Raises FieldError("sent_on"), 403 (complaints.handle), 404, 409 (not a regulator
    transfer)."""
    async with change(ctx, complaint_id, "regulator_report") as step:
        day = sent_on or step.today
        if not step.c.received_on <= day <= step.today:
            raise FieldError("sent_on", "Enter a date between receipt and today.")
        step.c.regulator_report_sent_on = day
    return step.c
