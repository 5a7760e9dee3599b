"""Review (A art. 14–16): accept, not accept with a ground, transfer inside or out; repeats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import msgspec
from piccolo.columns.combination import Or, Where

from kefu.complaints.policy import (
    REFUSALS,
    TRANSFER_GROUNDS,
    ComplaintPolicy,
    Party,
    PriorComplaint,
    Refusal,
    RepeatMatch,
    find_repeat_matches,
    merge_refusal,
    restarts_period,
    transition_refusal,
)
from kefu.complaints.services import outbox
from kefu.complaints.services._base import (
    Step,
    TransitionNotAllowed,
    change,
    lock_complaint,
    tenant_policy,
)
from kefu.complaints.services.intake import _reason
from kefu.complaints.tables import Complaint
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.services import require_cleared
from kefu.holidays.services import load_calendar

Outcome = Literal["accept", "not_accept", "transfer_internal", "transfer_out"]
# The art. 16 answer, one per complaint (unique key complaint:{id}:acceptance_notice).
NOTICE_KIND = {
    "accept": "acceptance_notice",
    "not_accept": "rejection_notice",
    "transfer_internal": "transfer_notice",
    "transfer_out": "transfer_notice",
}
REPEAT_SCAN = 50  # the most recent complaints of the same complainant looked at


def _name(field: str, text: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise FieldError(field, "This field is required.")
    if len(text) > limit:
        raise FieldError(field, "At most %(max)s characters.", max=limit)
    return text


def _check_review(outcome: str, ground: str, reason: str, department: str, unit: str,
                  policy: ComplaintPolicy) -> dict:
    if outcome not in NOTICE_KIND:
        raise FieldError("outcome", "Choose one of the listed values.")
    fields = {"reason": _reason("reason", reason, required=outcome == "not_accept")}
    if outcome == "not_accept":
        # A art. 16: a rejection states its reason, under one of the grounds of art. 14-15.
        if policy.ground(ground) is None:
            raise FieldError("ground", "Choose one of the listed values.")
        fields["ground"] = ground
    else:
        fields["ground"] = TRANSFER_GROUNDS.get(outcome, "")
    if outcome == "transfer_internal":
        fields["department"] = _name("department", department, 100)  # A art. 14(3)
    if outcome == "transfer_out":
        fields["unit"] = _name("unit", unit, 200)  # A art. 14(2)
    return fields


def _stated_reason(c: Complaint, policy: ComplaintPolicy) -> str:
    """A art. 16: a rejection states its reason — the ground in words, then the reviewer's text."""
    ground = policy.ground(c.review_ground)
    if ground is None:
        return c.review_reason
    return f"{ground.label}。{c.review_reason}" if c.review_reason else f"{ground.label}。"


async def review_complaint(
    ctx: TenantContext,
    complaint_id: int,
    *,
    outcome: Outcome,
    ground: str = "",
    reason: str = "",
    department: str = "",
    unit: str = "",
) -> Complaint:
    """Decide on a complaint under review (A art. 14) and owe the art. 16 notice, due 10
    working days after complete materials: accepted; not accepted (`ground` from
    policy.GROUNDS, `reason` required); transferred to a `department`; transferred out to a
    named `unit`. Raises FieldError (outcome, ground, reason, department, unit), 403
    (complaints.review), 404, 409 (not under review)."""
    fields = _check_review(outcome, ground, reason, department, unit, tenant_policy(ctx.tenant))
    async with change(ctx, complaint_id, outcome) as step:
        if outcome == "accept":
            await require_cleared(ctx, ctx.user.id, "complaints.accept")  # A art. 8
        c = step.c
        c.review_ground, c.review_reason = fields["ground"], fields["reason"]
        c.department = fields.get("department", c.department)
        c.transferred_to = fields.get("unit", "")
        if outcome != "accept":
            c.closed_on = step.today
        await step.owe(
            NOTICE_KIND[outcome], "acceptance_notice", c.acceptance_notice_due,
            outcome=outcome, ground=c.review_ground, reason=_stated_reason(c, step.policy),
            transferred_to=c.transferred_to or c.department,
        )
    return step.c


def _party(c: Complaint | dict[str, Any]) -> Party:
    get: Callable[[str], Any] = c.get if isinstance(c, dict) else lambda k: getattr(c, k)
    return Party(
        name=get("complainant_name"), phone=get("complainant_phone"),
        email=get("complainant_email"), subject=get("subject"), customer_ref=get("customer_ref"),
    )


async def find_repeats(ctx: TenantContext, complaint_id: int) -> list[RepeatMatch]:
    """Earlier complaints this one repeats (A art. 15), for the reviewer: same complainant
    (phone, email or name) and same subject or customer ref. Raises 403 (complaints.view), 404."""
    ctx.require("complaints.view")
    async with transaction(ctx.tenant_id, write=False):
        c = await get_in_tenant(Complaint, ctx.tenant_id, complaint_id)
        same_person: Where | Or = Complaint.complainant_name == c.complainant_name
        if c.complainant_phone:
            same_person = same_person | (Complaint.complainant_phone == c.complainant_phone)
        if c.complainant_email:
            same_person = same_person | (Complaint.complainant_email == c.complainant_email)
        rows = await scoped(
            Complaint, ctx.tenant_id, Complaint.id, Complaint.number, Complaint.status,
            Complaint.complainant_name, Complaint.complainant_phone, Complaint.complainant_email,
            Complaint.subject, Complaint.customer_ref,
        ).where(same_person, Complaint.id < c.id).order_by(Complaint.id, ascending=False).limit(
            REPEAT_SCAN
        )
    prior = [PriorComplaint(r["id"], r["number"], r["status"], _party(r)) for r in rows]
    # The pack names the ground that applies to each kind of repeat.
    named = tenant_policy(ctx.tenant).repeat_grounds
    roles = {"a15_2": named.get("open", ""), "a15_3": named.get("decided", "")}
    return [msgspec.structs.replace(m, ground=roles.get(m.ground, m.ground))
            for m in find_repeat_matches(_party(c), prior)]


async def merge_repeat(
    ctx: TenantContext, repeat_id: int, *, into_id: int, new_facts: str
) -> Complaint:
    """A art. 15: a repeat within the handling period that brings new facts is merged into the
    first complaint, whose handling period restarts from the new materials (extensions and
    pauses of the old period lapse) — unless it is overdue already: a merge never moves an
    overdue deadline later. Only a later complaint merges into an earlier one, received within
    the earlier one's handling period (409 merge_not_later, merge_after_period). The repeat ends as merged; its complainant is told the
    number it was merged into and the new decision date (the repeat's art. 16 notice).
    Returns the first complaint. Raises FieldError("new_facts"), 403 (complaints.review), 404,
    409 (either complaint in a status that cannot merge)."""
    new_facts = _reason("new_facts", new_facts)
    ctx.require("complaints.review")
    if repeat_id == into_id:
        raise TransitionNotAllowed(Refusal("merge_into_itself", REFUSALS["merge_into_itself"]))
    async with transaction(ctx.tenant_id):
        calendar = await load_calendar()
        locked = {i: await lock_complaint(ctx.tenant_id, i) for i in sorted((repeat_id, into_id))}
        repeat, into = locked[repeat_id], locked[into_id]
        code = merge_refusal((repeat.received_on, repeat.id), (into.received_on, into.id),
                             into.decision_due)
        if code is not None:
            raise TransitionNotAllowed(Refusal(code, REFUSALS[code]))
        for c, action in ((repeat, "merge"), (into, "merge_into")):
            if (why := transition_refusal(c.status, action)) is not None:
                raise TransitionNotAllowed(why)
        first, dup = Step(ctx, into, "merge_into", calendar), Step(ctx, repeat, "merge", calendar)
        if restarts_period(into.decision_due, first.today):
            into.period_start_on = repeat.materials_complete_on or repeat.received_on
            into.extensions_granted, into.paused_days, into.paused_since = 0, 0, None
        repeat.repeat_of, repeat.closed_on = into.id, dup.today
        first.audit_extra = dup.audit_extra = {"new_facts": new_facts}
        await first.save()
        await dup.owe(
            "merge_notice", "acceptance_notice", repeat.acceptance_notice_due,
            merged_into=into.number, decision_due=into.decision_due,
        )
        await dup.save()
    await outbox.nudge(ctx.tenant_id, dup.notice_ids)
    return into
