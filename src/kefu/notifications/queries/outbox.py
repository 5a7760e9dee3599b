"""Reading the outbox: the notices owed on a subject, compliance counts, the staff pages' list,
the notice page, the export's rows and a letter's PDF.

Every query is scoped to the tenant (kefu.core.scoping); the caller's transaction has the
tenant set, so row-level security agrees on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from litestar.exceptions import NotFoundException
from piccolo.query import Select, WhereRaw
from piccolo.query.functions.aggregate import Count
from piccolo.query.methods.count import Count as CountQuery

from kefu.core import clock
from kefu.core.paging import Page
from kefu.core.scoping import scoped, scoped_count
from kefu.notifications.policy import ATTENTION_STATES, NoticeView, view_of
from kefu.notifications.tables import Notice
from kefu.tenancy.queries import tenant_timezone

LIST_COLUMNS = (
    Notice.id, Notice.kind, Notice.channel, Notice.state, Notice.recipient_name,
    Notice.subject_type, Notice.subject_id, Notice.due_on, Notice.sent_at, Notice.sent_on,
    Notice.attempts, Notice.last_error, Notice.next_attempt_at, Notice.created_at, Notice.provider,
    Notice.data,
)


@dataclass(frozen=True)
class ComplianceRow:
    kind: str
    owed: int
    on_time: int
    late: int
    open: int  # not sent yet, not past due
    overdue: int  # not sent yet, past due


async def tenant_today(tenant_id: int) -> date:
    return clock.today_in(await tenant_timezone(tenant_id) or "Asia/Shanghai")


async def notices_for(tenant_id: int, subject_type: str, subject_id: int) -> list[NoticeView]:
    """Every notice owed on one subject (e.g. a complaint), oldest first."""
    rows = await (
        scoped(Notice, tenant_id, *LIST_COLUMNS)
        .where(Notice.subject_type == subject_type, Notice.subject_id == subject_id)
        .order_by(Notice.id)
    )
    today = await tenant_today(tenant_id)
    return [view_of(row, today) for row in rows]


async def _count_by_kind(tenant_id: int, kinds: list[str], start: date, end: date, *extra) -> dict[str, int]:
    query = (
        scoped(Notice, tenant_id, Notice.kind, Count())
        .where(Notice.kind.is_in(kinds), Notice.due_on >= start, Notice.due_on <= end, *extra)
        .group_by(Notice.kind)
    )
    return {row["kind"]: row["count"] for row in await query}


async def compliance(tenant_id: int, kinds: list[str], start: date, end: date) -> list[ComplianceRow]:
    """Per kind, the notices whose legal due date falls in [start, end]: how many were owed,
    sent on time, sent late, still open and not yet overdue, and open past their due date."""
    if not kinds:
        return []
    today = await tenant_today(tenant_id)
    owed = await _count_by_kind(tenant_id, kinds, start, end)
    timely = await _count_by_kind(tenant_id, kinds, start, end, WhereRaw("sent_on <= due_on"))
    late = await _count_by_kind(tenant_id, kinds, start, end, WhereRaw("sent_on > due_on"))
    overdue = await _count_by_kind(
        tenant_id, kinds, start, end, Notice.sent_on.is_null(), Notice.due_on < today
    )
    rows = []
    for kind in kinds:
        n = owed.get(kind, 0)
        t, lt, od = timely.get(kind, 0), late.get(kind, 0), overdue.get(kind, 0)
        rows.append(ComplianceRow(kind=kind, owed=n, on_time=t, late=lt, open=n - t - lt - od, overdue=od))
    return rows


Q = TypeVar("Q", Select, CountQuery)

def _filtered(query: Q, state: str, kind: str) -> Q:
    if state:
        query = query.where(Notice.state == state)
    if kind:
        query = query.where(Notice.kind == kind)
    return query


async def outbox_page(tenant_id: int, *, state: str, kind: str, number: int, size: int) -> Page:
    query = _filtered(scoped(Notice, tenant_id, *LIST_COLUMNS), state, kind)
    count = _filtered(scoped_count(Notice, tenant_id), state, kind)
    rows = await query.order_by(Notice.id, ascending=False).limit(size).offset((number - 1) * size)
    return Page(rows=rows, number=number, size=size, total=await count)


async def needing_attention(tenant_id: int, *, kind: str, limit: int) -> list[dict[str, Any]]:
    """Dead and failed notices (with their reason) and letters waiting to be posted, dead first."""
    found: list[dict[str, Any]] = []
    for state in ATTENTION_STATES:
        if len(found) >= limit:
            break
        query = _filtered(scoped(Notice, tenant_id, *LIST_COLUMNS), state, kind)
        found += await query.order_by(Notice.id, ascending=False).limit(limit - len(found))
    return found


async def export_count(tenant_id: int, *, state: str, kind: str) -> int:
    return await _filtered(scoped_count(Notice, tenant_id), state, kind)


async def export_rows(tenant_id: int, *, state: str, kind: str, limit: int) -> list[dict[str, Any]]:
    columns = (*LIST_COLUMNS, Notice.recipient_email, Notice.recipient_phone, Notice.rendered_subject)
    query = _filtered(scoped(Notice, tenant_id, *columns), state, kind)
    return await query.order_by(Notice.id, ascending=False).limit(limit)


async def notice_detail(tenant_id: int, notice_id: int) -> dict[str, Any]:
    """One notice for the staff page, without its PDF bytes; another tenant's id is a 404."""
    columns = (
        *LIST_COLUMNS, Notice.recipient_email, Notice.recipient_phone, Notice.recipient_address,
        Notice.locale, Notice.unique_key, Notice.rendered_subject, Notice.rendered_body,
        Notice.provider_ref,
    )
    row = await scoped(Notice, tenant_id, *columns).where(Notice.id == notice_id).output(load_json=True).first()
    if row is None:
        raise NotFoundException()
    has_pdf = await scoped_count(Notice, tenant_id).where(Notice.id == notice_id, Notice.document.is_not_null())
    today = await tenant_today(tenant_id)
    return row | {"has_pdf": bool(has_pdf), "view": view_of(row, today)}


async def letter_document(tenant_id: int, notice_id: int) -> bytes | None:
    """A letter's PDF, or None if it has none (yet). Another tenant's id is a 404."""
    row = await scoped(Notice, tenant_id, Notice.document).where(Notice.id == notice_id).first()
    if row is None:
        raise NotFoundException()
    return row["document"]


async def mailbox_rows(tenant_id: int, *, limit: int) -> list[dict[str, Any]]:
    """The tenant's email notices the local development mailbox took (var/mail/), newest first."""
    columns = (*LIST_COLUMNS, Notice.recipient_email, Notice.rendered_subject, Notice.provider_ref)
    return await scoped(Notice, tenant_id, *columns).where(Notice.provider == "mailbox").order_by(
        Notice.id, ascending=False).limit(limit)
