"""The JSON API's reads: one complaint, and the filtered list newest first with its total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu.complaints.policy import STATUSES, policy_for
from kefu.complaints.tables import Complaint
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

# The columns the API's list shows (the description is left out: up to 10,000 characters each).
LIST_COLUMNS = (
    "id", "number", "status", "channel", "source", "received_on", "category", "subject",
    "customer_ref", "complainant_name", "complainant_phone", "complainant_email",
    "complainant_relation", "materials_complete_on", "materials_notice_due",
    "acceptance_notice_due", "decision_due", "regulator_report_due", "deadlines_provisional", "decided_on", "closed_on",
    "public_token",
)


@dataclass(frozen=True)
class ApiFilters:
    status: str | None = None  # one code or several, comma-separated
    channel: str | None = None
    category: str | None = None
    received_from: date | None = None
    received_to: date | None = None


def _codes(field: str, raw: str | None, allowed: tuple[str, ...] | list[str]) -> list[str]:
    """A filter of one or more comma-separated codes, each checked."""
    if raw is None:
        return []
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if not codes or any(c not in allowed for c in codes):
        raise FieldError(field, "Choose one of the listed values.")
    return codes


def _conditions(ctx: TenantContext, f: ApiFilters) -> list[Any]:
    policy = policy_for(ctx.tenant.kind, ctx.tenant.settings)
    categories = [c.code for c in policy.categories]
    where: list[Any] = []
    if codes := _codes("status", f.status, STATUSES):
        where.append(Complaint.status.is_in(codes))
    if codes := _codes("channel", f.channel, [c.code for c in policy.channels]):
        where.append(Complaint.channel.is_in(codes))
    if codes := _codes("category", f.category, categories):
        where.append(Complaint.category.is_in(codes))
    if f.received_from and f.received_to and f.received_from > f.received_to:
        raise FieldError("received_to", "Enter a date on or after the start date.")
    if f.received_from:
        where.append(Complaint.received_on >= f.received_from)
    if f.received_to:
        where.append(Complaint.received_on <= f.received_to)
    return where


async def complaint_list(
    ctx: TenantContext, f: ApiFilters, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of LIST_COLUMNS rows, newest first, and the total matching. Raises FieldError
    naming a bad filter, 403 (complaints.view)."""
    ctx.require("complaints.view")
    where = _conditions(ctx, f)
    columns = [getattr(Complaint, name) for name in LIST_COLUMNS]
    rows_query = scoped(Complaint, ctx.tenant_id, *columns)
    count_query = scoped_count(Complaint, ctx.tenant_id)
    if where:
        rows_query, count_query = rows_query.where(*where), count_query.where(*where)
    async with transaction(ctx.tenant_id, write=False):
        rows = await rows_query.order_by(Complaint.id, ascending=False).limit(limit).offset(offset)
        total = await count_query
    return rows, total
