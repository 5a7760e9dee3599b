"""The staff worklist's reads: filters, one indexed query per page, a capped count, the rows
of the Excel export, and the caller lookup (a caller's open complaints by phone).

The page is sorted by the nearest open deadline (`next_due`, stored on the row and indexed
with tenant_id leading). NULLS LAST is written out because SQLite sorts NULLs first; on
PostgreSQL it is the index's own order. Rather than COUNT(*) over the whole tenant, the page
counts at most COUNT_CAP matching ids (an index-only range), and not at all when the first page
already holds every match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from piccolo.columns.combination import Or
from piccolo.query import Select
from piccolo.querystring import QueryString

from kefu import i18n
from kefu.complaints import labels
from kefu.complaints.policy import (
    CHANNELS,
    OPEN_STATUSES,
    STATUSES,
    TERMINAL_STATUSES,
    ComplaintPolicy,
    overdue_state,
    policy_for,
)
from kefu.complaints.tables import Complaint
from kefu.core import clock, phones
from kefu.core.forms import clean_text
from kefu.core.labels import Labels
from kefu.core.paging import page_number
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext

PAGE_SIZE = 50
COUNT_CAP = 1_000
EXPORT_LIMIT = 50_000
Q_MAX = 100

# The trailing column gets the direction Piccolo appends (see _order).
BY_DEADLINE = QueryString('"complaint"."next_due" ASC NULLS LAST, "complaint"."id"')
BY_RECEIPT = QueryString('"complaint"."received_on" DESC, "complaint"."id"')

COLUMNS = (
    Complaint.id, Complaint.number, Complaint.status, Complaint.channel, Complaint.received_on,
    Complaint.complainant_name, Complaint.complainant_phone, Complaint.subject,
    Complaint.category, Complaint.next_due, Complaint.next_due_kind,
    Complaint.deadlines_provisional, Complaint.is_major, Complaint.paused_since,
    Complaint.handler.name.as_alias("handler_name"),
)
EXPORT_COLUMNS = (
    *COLUMNS, Complaint.complainant_email, Complaint.complainant_relation,
    Complaint.customer_ref, Complaint.materials_notice_due, Complaint.acceptance_notice_due,
    Complaint.decision_due, Complaint.decision, Complaint.decided_on, Complaint.closed_on,
)
EXPORT_HEADERS = [
    i18n.lazy("Number"), i18n.lazy("Status"), i18n.lazy("Channel"), i18n.lazy("Received on"),
    i18n.lazy("Complainant"), i18n.lazy("Phone"), i18n.lazy("Email"), i18n.lazy("Subject"),
    i18n.lazy("Category"), i18n.lazy("Policy or unit"), i18n.lazy("Handler"),
    i18n.lazy("Next deadline"), i18n.lazy("Due on"), i18n.lazy("Due state"),
    i18n.lazy("Materials notice due"), i18n.lazy("Acceptance notice due"),
    i18n.lazy("Decision due"), i18n.lazy("Provisional"), i18n.lazy("Decision"),
    i18n.lazy("Decided on"), i18n.lazy("Closed on"),
]


def _policy(ctx: TenantContext) -> ComplaintPolicy:
    return policy_for(ctx.tenant.kind, ctx.tenant.settings)


@dataclass(frozen=True)
class Filters:
    status: str = "open"  # open | all | one of STATUSES
    channel: str = ""
    handler: str = ""  # "" | mine | unassigned
    due: str = ""  # "" | overdue | today | soon
    q: str = ""

    def query_string(self) -> str:
        """The filters for links (pager, export); the default status is left out."""
        return urlencode(
            {k: v for k, v in self.__dict__.items() if v and not (k == "status" and v == "open")}
        )


@dataclass(frozen=True)
class WorkPage:
    rows: list[dict[str, Any]]
    number: int
    size: int
    has_next: bool
    total: int  # capped at COUNT_CAP + 1
    capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def parse_filters(params: Any) -> Filters:
    """Unknown values fall back to the default view rather than failing the page."""
    def pick(name: str, options: tuple[str, ...] | list[str], default: str = "") -> str:
        value = (params.get(name) or "").strip()
        return value if value in options else default

    return Filters(
        status=pick("status", ("open", "all", *STATUSES), "open"),
        channel=pick("channel", CHANNELS),
        handler=pick("handler", ("mine", "unassigned")),
        due=pick("due", ("overdue", "today", "soon")),
        # A control character (NUL cannot reach PostgreSQL) is replaced: that search finds nothing.
        q=clean_text(params.get("q") or "", max_length=Q_MAX)[0][:Q_MAX],
    )


def _search(q: str, prefix: str, year: int) -> Or:
    """Equality on indexed columns (number, phone, customer ref); a name prefix otherwise."""
    found = (Complaint.number == q.upper()) | (Complaint.customer_ref == q)
    if q.isdigit() and len(q) <= 6:  # "123" -> this year's TS2026-000123
        found = found | (Complaint.number == f"{prefix}{year}-{int(q):06d}")
    phones_ = phones.variants(q)
    if phones_:
        return found | Complaint.complainant_phone.is_in(phones_)
    name = q.replace("%", "").replace("_", "")
    if name:
        found = found | Complaint.complainant_name.like(f"{name}%")
    return found


def conditions(f: Filters, ctx: TenantContext, today: date) -> list:
    policy = _policy(ctx)
    found: list = []
    if f.status == "open":
        found.append(Complaint.status.is_in(list(OPEN_STATUSES)))
    elif f.status != "all":
        found.append(Complaint.status == f.status)
    if f.channel:
        found.append(Complaint.channel == f.channel)
    me = ctx.user.id
    if f.handler == "mine":
        # The owner as the reminder sweep sees it: the handler, else whoever registered it.
        found.append((Complaint.handler == me) | (
            Complaint.handler.is_null() & (Complaint.registered_by == me)))
    elif f.handler == "unassigned":
        found.append(Complaint.handler.is_null())
    soon = today + timedelta(days=policy.reminder_days_before)
    if f.due == "overdue":
        found.append(Complaint.next_due < today)
    elif f.due == "today":
        found.append(Complaint.next_due == today)
    elif f.due == "soon":
        found.append((Complaint.next_due > today) & (Complaint.next_due <= soon))
    if f.q:
        found.append(_search(f.q, policy.number_prefix, today.year))
    return found


def _order(query: Select, f: Filters) -> Select:
    if f.status in TERMINAL_STATUSES:  # no deadline left: the newest first
        return query.order_by(BY_RECEIPT, ascending=False)
    return query.order_by(BY_DEADLINE)


async def worklist(ctx: TenantContext, f: Filters, raw_page: str | None) -> WorkPage:
    ctx.require("complaints.view")
    today = clock.today_in(ctx.tenant.timezone)
    number = page_number(raw_page)
    where = conditions(f, ctx, today)
    query = scoped(Complaint, ctx.tenant_id, *COLUMNS).where(*where)
    rows = await _order(query, f).limit(PAGE_SIZE + 1).offset((number - 1) * PAGE_SIZE)
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if number == 1 and not has_next:
        total = len(rows)
    else:
        ids = await scoped(Complaint, ctx.tenant_id, Complaint.id).where(*where).limit(COUNT_CAP + 1)
        total = len(ids)
    return WorkPage(rows, number, PAGE_SIZE, has_next, total, total > COUNT_CAP)


async def export_rows(ctx: TenantContext, f: Filters) -> list[dict[str, Any]]:
    ctx.require("complaints.view")
    today = clock.today_in(ctx.tenant.timezone)
    query = scoped(Complaint, ctx.tenant_id, *EXPORT_COLUMNS).where(*conditions(f, ctx, today))
    return await _order(query, f).limit(EXPORT_LIMIT)


def _export_values(
    r: dict[str, Any], policy: ComplaintPolicy, categories: Labels, today: date
) -> list[Any]:
    state = overdue_state(r["next_due"], today, policy.reminder_days_before)
    return [
        r["number"], labels.STATUS_LABELS(r["status"]), labels.CHANNEL_LABELS(r["channel"]),
        r["received_on"], r["complainant_name"], r["complainant_phone"],
        r["complainant_email"], r["subject"], categories(r["category"]),
        r["customer_ref"], r["handler_name"] or "", labels.DEADLINE_LABELS(r["next_due_kind"]),
        r["next_due"], labels.due_label(state), r["materials_notice_due"],
        r["acceptance_notice_due"], r["decision_due"],
        i18n.gettext("Yes") if r["deadlines_provisional"] else "",
        labels.DECISION_LABELS(r["decision"]), r["decided_on"], r["closed_on"],
    ]


def export_table(ctx: TenantContext, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The export's headers and rows in words (the reader's language)."""
    policy, today = _policy(ctx), clock.today_in(ctx.tenant.timezone)
    headers = [i18n.gettext(x) for x in EXPORT_HEADERS]
    categories = labels.category_labels(policy)
    return headers, [_export_values(r, policy, categories, today) for r in rows]


async def open_for_phone(ctx: TenantContext, raw: str, limit: int = 10) -> list[dict[str, Any]]:
    """The caller's open complaints (same phone, however it was typed), newest first."""
    ctx.require("complaints.view")
    forms = phones.variants(raw)
    if not forms:
        return []
    return await scoped(
        Complaint, ctx.tenant_id, Complaint.id, Complaint.number, Complaint.status,
        Complaint.subject, Complaint.received_on, Complaint.complainant_name,
        Complaint.next_due, Complaint.next_due_kind,
    ).where(
        Complaint.complainant_phone.is_in(forms), Complaint.status.is_in(list(OPEN_STATUSES))
    ).order_by(Complaint.id, ascending=False).limit(limit)
