"""The staff worklist's reads: filters, one indexed query per page, a capped count, the rows
of the Excel export, and the caller lookup (a caller's open complaints by phone).

The page is sorted by the nearest open deadline (`next_due`, stored on the row and indexed
with tenant_id leading). NULLS LAST is written out because SQLite sorts NULLs first; on
PostgreSQL it is the index's own order. Rather than COUNT(*) over the whole tenant, the page
counts at most COUNT_CAP matching ids (an index-only range), and not at all when the first page
already holds every match.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from piccolo.columns.combination import Or
from piccolo.query import Select
from piccolo.querystring import QueryString

from kefu.complaints.policy import (
    CHANNELS,
    OPEN_STATUSES,
    STATUSES,
    TERMINAL_STATUSES,
    ComplaintPolicy,
    policy_for,
)
from kefu.complaints.tables import Complaint
from kefu.core import clock, phones
from kefu.core.compiled import Compiled, Sentinel
from kefu.core.forms import clean_text
from kefu.core.paging import capped_count, page_number
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.units import queries as units

PAGE_SIZE = 50
COUNT_CAP = 1_000
EXPORT_LIMIT = 50_000
Q_MAX = 100

# The trailing column gets the direction Piccolo appends (see ordered).
BY_DEADLINE = QueryString('"complaint"."next_due" ASC NULLS LAST, "complaint"."id"')
BY_RECEIPT = QueryString('"complaint"."received_on" DESC, "complaint"."id"')

COLUMNS = (
    Complaint.id, Complaint.number, Complaint.status, Complaint.channel, Complaint.received_on,
    Complaint.complainant_name, Complaint.complainant_phone, Complaint.subject,
    Complaint.category, Complaint.next_due, Complaint.next_due_kind,
    Complaint.deadlines_provisional, Complaint.is_major, Complaint.paused_since,
    Complaint.deadlines_moved_on, Complaint.handler.name.as_alias("handler_name"),
)
def complaint_policy(ctx: TenantContext) -> ComplaintPolicy:
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
        channel=pick("channel", CHANNELS),  # any known code; the page offers the pack's
        handler=pick("handler", ("mine", "unassigned")),
        due=pick("due", ("overdue", "today", "soon")),
        # A control character (NUL cannot reach PostgreSQL) is replaced: that search finds nothing.
        q=clean_text(params.get("q") or "", max_length=Q_MAX)[0][:Q_MAX],
    )


PHONE_TAIL_MIN = 4  # "1234": the last four digits of the complainant's phone


def _search(q: str, prefix: str, year: int) -> Or:
    """Equality on indexed columns (number, phone, customer ref, the unit written any of the
    ways the pages show it); a phone's last four or more digits; a name prefix otherwise."""
    found = (Complaint.number == q.upper()) | (Complaint.customer_ref == q)
    if spellings := units.address_spellings(q):  # "3-2-1501" finds "3栋2单元1501" too
        found = found | Complaint.customer_ref.is_in(spellings)
    if q.isascii() and q.isdigit() and len(q) <= 6:  # "123" -> this year's TS2026-000123
        found = found | (Complaint.number == f"{prefix}{year}-{int(q):06d}")
    tail = "".join(q.split())
    if tail.isascii() and tail.isdigit() and PHONE_TAIL_MIN <= len(tail) < 11:
        # The caller reads out the last digits: a suffix match within the tenant's complaints.
        found = found | Complaint.complainant_phone.like(f"%{tail}")
    phones_ = phones.variants(q)
    if phones_:
        return found | Complaint.complainant_phone.is_in(phones_)
    name = q.replace("%", "").replace("_", "")
    if name:
        found = found | Complaint.complainant_name.like(f"{name}%")
    return found


def bound_values(f: Filters, ctx: TenantContext, today: date) -> dict[str, Any]:
    """The request's values the worklist's SQL binds (the rest of its text is the shape)."""
    soon = today + timedelta(days=complaint_policy(ctx).reminder_days_before)
    return {
        "tenant": ctx.tenant_id, "me": ctx.user.id, "today": today, "soon": soon,
        "channel": f.channel, "status": f.status,
    }


def _sentinels() -> dict[str, Any]:
    return {
        "tenant": Sentinel.int(), "me": Sentinel.int(), "today": Sentinel.day(),
        "soon": Sentinel.day(), "channel": Sentinel.text("channel"), "status": Sentinel.text("status"),
    }


def conditions(f: Filters, values: Mapping[str, Any], number_prefix: str) -> list:
    """The filters as Piccolo conditions; every request value comes from `values`."""
    found: list = []
    if f.status == "open":
        found.append(Complaint.status.is_in(list(OPEN_STATUSES)))
    elif f.status != "all":
        found.append(Complaint.status == values["status"])
    if f.channel:
        found.append(Complaint.channel == values["channel"])
    me = values["me"]
    if f.handler == "mine":
        # The owner as the reminder sweep sees it: the handler, else whoever registered it.
        found.append((Complaint.handler == me) | (
            Complaint.handler.is_null() & (Complaint.registered_by == me)))
    elif f.handler == "unassigned":
        found.append(Complaint.handler.is_null())
    today = values["today"]
    if f.due == "overdue":
        found.append(Complaint.next_due < today)
    elif f.due == "today":
        found.append(Complaint.next_due == today)
    elif f.due == "soon":
        found.append((Complaint.next_due > today) & (Complaint.next_due <= values["soon"]))
    if f.q:
        found.append(_search(f.q, number_prefix, today.year))
    return found


def ordered(query: Select, f: Filters) -> Select:
    if f.status in TERMINAL_STATUSES:  # no deadline left: the newest first
        return query.order_by(BY_RECEIPT, ascending=False)
    return query.order_by(BY_DEADLINE)


def _shape(f: Filters) -> tuple[str, bool, str, str]:
    """What changes the SQL's text (a search does too: it is never compiled ahead)."""
    return (f.status, bool(f.channel), f.handler, f.due)


def _page_statement(f: Filters) -> Compiled:
    def build(values: Mapping[str, Any]) -> Select:
        where = conditions(f, values, "")
        return ordered(scoped(Complaint, values["tenant"], *COLUMNS).where(*where), f)

    return Compiled(build, _sentinels)


def _count_statement(f: Filters) -> Compiled:
    def build(values: Mapping[str, Any]) -> Select:
        where = conditions(f, values, "")
        return scoped(Complaint, values["tenant"], Complaint.id).where(*where).limit(COUNT_CAP + 1)

    return Compiled(build, _sentinels, wrap="SELECT count(*) AS n FROM ({}) AS capped")


_STATEMENTS: dict[tuple[Any, ...], tuple[Compiled, Compiled]] = {}


def _statements(f: Filters) -> tuple[Compiled, Compiled]:
    key = (*_shape(f), COUNT_CAP)
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = (_page_statement(f), _count_statement(f))
    return found


async def _searched(ctx: TenantContext, f: Filters, values: dict[str, Any], number: int) -> WorkPage:
    where = conditions(f, values, complaint_policy(ctx).number_prefix)
    query = scoped(Complaint, ctx.tenant_id, *COLUMNS).where(*where)
    rows = await ordered(query, f).limit(PAGE_SIZE + 1).offset((number - 1) * PAGE_SIZE)
    return await _paged(rows, number, lambda: capped_count(
        scoped(Complaint, ctx.tenant_id, Complaint.id).where(*where), COUNT_CAP))


async def _paged(rows: list[dict[str, Any]], number: int, count: Callable[[], Awaitable[int]]) -> WorkPage:
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    total = len(rows) if number == 1 and not has_next else await count()
    return WorkPage(rows, number, PAGE_SIZE, has_next, total, total > COUNT_CAP)


async def worklist(ctx: TenantContext, f: Filters, raw_page: str | None) -> WorkPage:
    """The page of the worklist. The page is the hottest read of the desk: without a search its
    SQL is compiled once per filter shape (kefu.core.compiled); a search is built each time."""
    ctx.require("complaints.view")
    number = page_number(raw_page)
    values = bound_values(f, ctx, clock.today_in(ctx.tenant.timezone))
    if f.q:
        return await _searched(ctx, f, values, number)
    page, count = _statements(f)
    limit = f" LIMIT {PAGE_SIZE + 1} OFFSET {(number - 1) * PAGE_SIZE}"  # integers only
    rows = await page.fetch(values, limit)

    async def counted() -> int:
        return int((await count.fetch(values))[0]["n"])

    return await _paged(rows, number, counted)


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
