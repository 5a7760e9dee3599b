"""Reads of the outbox for other modules' pages and reports: the notices owed on a subject,
compliance counts per kind, the notices that went out late or are overdue, and the words for
a notice's kind, channel and state. The module's own pages read through queries.outbox,
queries.wordings and queries.export.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.query import WhereRaw

from kefu.core.labels import Labels
from kefu.core.scoping import scoped
from kefu.notifications.policy import CHANNEL_LABELS, STATE_LABELS, NoticeView
from kefu.notifications.queries.outbox import ComplianceRow, compliance, notices_for
from kefu.notifications.tables import Notice
from kefu.notifications.templating import kind_label

__all__ = [
    "ComplianceRow", "NoticeView", "channel_label", "compliance", "kind_label", "late_notices",
    "notices_for", "state_label",
]

state_label = Labels(STATE_LABELS)
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
