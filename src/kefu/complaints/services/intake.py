"""Intake: register (staff, API, public form), materials (A art. 12), withdrawal."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from kefu.audit import services as audit
from kefu.complaints.policy import format_number
from kefu.complaints.schemas import NewComplaint, parse_new_complaint
from kefu.complaints.services._base import change, snapshot, tenant_policy
from kefu.complaints.services.deadlines import apply_deadlines
from kefu.complaints.tables import Complaint, ComplaintCounter
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.customers.queries import match_customer
from kefu.db import transaction
from kefu.duties.services import require_cleared
from kefu.holidays.services import load_calendar

MAX_REASON = 2_000

# One statement on both engines: the first registration of a year creates the row, later ones
# bump it. The row lock it takes queues concurrent registrations of the same tenant.
_NEXT_NUMBER = (
    "INSERT INTO complaint_counter (tenant_id, year, value) VALUES ({}, {}, 1) "
    "ON CONFLICT (tenant_id, year) DO UPDATE SET value = complaint_counter.value + 1 "
    "RETURNING value"
)


class _Replay(Exception):
    """A double submit: the complaint with this idempotency key exists already."""

    def __init__(self, complaint: Complaint) -> None:
        self.complaint = complaint


async def _next_number(tenant_id: int, year: int) -> int:
    rows = await ComplaintCounter.raw(_NEXT_NUMBER, tenant_id, year)
    return int(rows[0]["value"])


def _new_row(tenant: TenantRow, actor_id: int | None, new: NewComplaint, source: str) -> Complaint:
    who, reg, complete = new.complainant, new.regulator, new.materials_complete
    return Complaint(
        tenant=tenant.id, channel=new.channel, source=source, received_on=new.received_on,
        complainant_name=who.name, complainant_phone=who.phone, complainant_email=who.email,
        complainant_address=who.address, complainant_relation=who.relation,
        authorisation_doc=who.authorisation_doc, customer_ref=new.customer_ref,
        subject=new.subject, description=new.description, category=new.category,
        # A art. 12 / 14: complete materials go straight to review.
        status="under_review" if complete else "registered",
        registered_by=actor_id, materials_incomplete=not complete,
        materials_complete_on=new.received_on if complete else None,
        period_start_on=new.received_on, is_major=new.is_major,
        regulator_unit=reg.unit if reg else "", regulator_ref=reg.reference if reg else "",
        regulator_report_requested=reg.report_requested if reg else "",
        regulator_report_due=reg.report_due if reg else None,
        public_token=secrets.token_urlsafe(24), idempotency_key=new.idempotency_key,
    )


async def _register(
    tenant: TenantRow, actor_id: int | None, data: Mapping[str, Any] | NewComplaint, source: str
) -> tuple[Complaint, bool]:
    policy = tenant_policy(tenant)
    today = clock.today_in(tenant.timezone)
    new = parse_new_complaint(data, policy, today)  # FieldError before anything is written
    try:
        async with transaction(tenant.id):
            value = await _next_number(tenant.id, today.year)
            # Checked after the counter row is locked, so a concurrent double submit waits
            # for the first and then finds it; the replay rolls this savepoint back, the
            # counter with it (no gap in numbers, whoever holds the outer transaction).
            if new.idempotency_key:
                existing = await scoped_objects(Complaint, tenant.id).where(
                    Complaint.idempotency_key == new.idempotency_key
                ).first()
                if existing is not None:
                    raise _Replay(existing)
            c = _new_row(tenant, actor_id, new, source)
            if source != "public":  # staff or the API took the call: link a known customer
                who = new.complainant
                c.customer = await match_customer(tenant.id, who.phone, who.email)
            c.number = format_number(policy.number_prefix, today.year, value)
            apply_deadlines(c, policy, await load_calendar(), today)
            await c.save()
            await audit.record(
                tenant_id=tenant.id, actor_id=actor_id, action="complaint.register",
                object_type="complaint", object_id=c.id,
                after={"number": c.number, "channel": c.channel, "source": source,
                       "category": c.category, **snapshot(c)},
            )
    except _Replay as replay:
        return replay.complaint, True
    return c, False


async def register_complaint(
    ctx: TenantContext, data: Mapping[str, Any] | NewComplaint, *, source: str = "staff"
) -> Complaint:
    """Register a complaint taken by staff (source="staff") or the JSON API (source="api").

    `data` has the API's shape (see schemas.NewComplaint; `complainant` nested). A repeated
    `idempotency_key` returns the complaint registered first, unchanged. With
    `materials_complete` the complaint goes straight to review (A art. 14), else it waits for
    the materials notice (A art. 12). Raises PermissionDeniedException (complaints.register),
    FieldError naming the first bad field (dotted, e.g. "complainant.email").
    """
    complaint, _ = await register_complaint_once(ctx, data, source=source)
    return complaint


async def register_complaint_once(
    ctx: TenantContext, data: Mapping[str, Any] | NewComplaint, *, source: str = "staff"
) -> tuple[Complaint, bool]:
    """register_complaint, and whether the idempotency key replayed an earlier complaint."""
    ctx.require("complaints.register")
    if source not in ("staff", "api"):
        raise ValueError(f"source must be staff or api, not {source!r}")
    await require_cleared(ctx, ctx.user.id, "complaints.register")  # A art. 8
    return await _register(ctx.tenant, ctx.user.id, data, source)


async def register_public_complaint(tenant: TenantRow, data: Mapping[str, Any]) -> Complaint:
    """The public online form (no login): channel "online"; a regulator transfer or the major
    flag cannot be claimed from outside. Raises FieldError."""
    if isinstance(data, NewComplaint):
        raise TypeError("the public form passes the submitted mapping")
    # Received today, materials to be checked by staff: the public cannot back-date or skip that.
    public = {
        **data, "channel": "online", "is_major": False, "regulator": None,
        "received_on": None, "materials_complete": False,
    }
    complaint, _ = await _register(tenant, None, public, "public")
    return complaint


def _reason(field: str, text: str, *, required: bool = True, limit: int = MAX_REASON) -> str:
    text = (text or "").strip() if isinstance(text, str) else ""
    if required and not text:
        raise FieldError(field, "This field is required.")
    if len(text) > limit:
        raise FieldError(field, "At most %(max)s characters.", max=limit)
    return text


async def request_materials(ctx: TenantContext, complaint_id: int, *, missing: str) -> Complaint:
    """A art. 12: ask the complainant for the missing materials. Owes the materials notice,
    due 5 working days after receipt (the policy's materials_notice period).
    registered -> materials_incomplete. Raises FieldError("missing"), 403, 404, 409."""
    missing = _reason("missing", missing)
    async with change(ctx, complaint_id, "request_materials") as step:
        step.c.materials_incomplete = True
        step.recompute()
        await step.owe(
            "materials_notice", "materials_notice", step.c.materials_notice_due,
            missing_materials=missing,
        )
        step.audit_extra = {"missing": missing}
    return step.c


async def mark_materials_complete(
    ctx: TenantContext, complaint_id: int, *, complete_on: date | None = None
) -> Complaint:
    """The materials are complete (default: today): the complaint goes to review and the
    acceptance notice falls due 10 working days later (A art. 16).
    registered | materials_incomplete -> under_review. Raises FieldError("complete_on"), 403,
    404, 409."""
    async with change(ctx, complaint_id, "complete_materials") as step:
        day = complete_on or step.today
        if not step.c.received_on <= day <= step.today:
            raise FieldError("complete_on", "Enter a date between receipt and today.")
        step.c.materials_complete_on = day
    return step.c


async def withdraw_complaint(ctx: TenantContext, complaint_id: int, *, reason: str = "") -> Complaint:
    """The complainant withdraws: closed that day. Any status before the decision ->
    withdrawn. Raises FieldError("reason") if over-long, 403, 404, 409."""
    reason = _reason("reason", reason, required=False)
    async with change(ctx, complaint_id, "withdraw") as step:
        step.c.closed_on = step.today
        step.audit_extra = {"reason": reason}
    return step.c
