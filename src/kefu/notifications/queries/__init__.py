"""Reads of the outbox for other modules' pages and reports: the notices owed on a subject,
compliance counts per kind, the notices that went out late or are overdue, and the words for
a notice's kind, channel and state. The module's own pages read through queries.outbox,
queries.wordings and queries.export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from piccolo.query import WhereRaw
from piccolo.query.functions.aggregate import Count

from kefu.core.labels import Labels
from kefu.core.scoping import scoped
from kefu.notifications.policy import CHANNEL_LABELS, STATE_LABELS, NoticeView, outlook
from kefu.notifications.queries.outbox import ComplianceRow, compliance, notices_for
from kefu.notifications.shipped import kind_label
from kefu.notifications.tables import Notice

__all__ = [
    "ComplianceRow", "OutboxCounts", "outbox_counts", "NoticeView", "channel_label", "compliance", "kind_label", "late_notices",
    "notice_outlook", "notices_for", "state_label",
]

state_label = Labels(STATE_LABELS)


@dataclass(frozen=True)
class OutboxCounts:
    """One tenant's notices by state, and when the oldest one still owed was made (the platform
    console: counts, never content)."""

    by_state: dict[str, int]
    oldest_open_at: datetime | None


async def outbox_counts(tenant_id: int) -> OutboxCounts:
    """In a read transaction of the tenant's own (row-level security)."""
    from kefu.db import transaction

    async with transaction(tenant_id, write=False):
        rows = await scoped(Notice, tenant_id, Notice.state, Count()).group_by(Notice.state)
        oldest = await (
            scoped(Notice, tenant_id, Notice.created_at)
            .where(Notice.state.is_in(["pending", "failed", "waiting"]))
            .order_by(Notice.created_at).first()
        )
    return OutboxCounts({r["state"]: r["count"] for r in rows}, oldest["created_at"] if oldest else None)
channel_label = Labels(CHANNEL_LABELS)


async def late_notices(
    tenant_id: int, subject_type: str, kinds: list[str], start: date, end: date, today: date, *, limit: int
) -> list[dict[str, Any]]:
    """The notices of `kinds` on `subject_type` due from `start` to `end` that went out after
    their due date, then those still unsent past it; each list by due date, at most `limit`
    rows: subject_id, kind, due_on, sent_on. Read in the caller's transaction."""
    cols = (Notice.subject_id, Notice.kind, Notice.due_on, Notice.sent_on)
    in_period = (
        Notice.kind.is_in(kinds), Notice.subject_type == subject_type,
        Notice.due_on >= start, Notice.due_on <= end,
    )
    notices = await scoped(Notice, tenant_id, *cols).where(
        *in_period, WhereRaw("sent_on > due_on")
    ).order_by(Notice.due_on).limit(limit)
    notices += await scoped(Notice, tenant_id, *cols).where(
        *in_period, Notice.sent_on.is_null(), Notice.due_on < today
    ).order_by(Notice.due_on).limit(limit)
    return notices


async def notice_outlook(tenant_id: int, subject_type: str, subject_id: int, kind: str) -> str | None:
    """The newest `kind` notice on the subject: sent, queued, failed or not_configured (see
    policy.outlook); None when there is none. Read in the caller's transaction."""
    from kefu.notifications.channels import email_configured

    row = await scoped(
        Notice, tenant_id, Notice.state, Notice.channel, Notice.recipient_email, Notice.recipient_phone
    ).where(
        Notice.subject_type == subject_type, Notice.subject_id == subject_id, Notice.kind == kind
    ).order_by(Notice.id, ascending=False).first()
    if row is None:
        return None
    address = row["recipient_email"] if row["channel"] == "email" else row["recipient_phone"]
    return outlook(row["state"], row["channel"], address, email_configured())
