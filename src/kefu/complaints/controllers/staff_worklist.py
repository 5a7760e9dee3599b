"""The staff worklist: filters, one indexed query per page, a capped count, the Excel export.

The page is sorted by the nearest open deadline (`next_due`, stored on the row and indexed
with tenant_id leading). NULLS LAST is written out because SQLite sorts NULLs first; on
PostgreSQL it is the index's own order. Rather than COUNT(*) over the whole tenant, the page
counts at most COUNT_CAP matching ids (an index-only range), and not at all when the first page
already holds every match.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from piccolo.querystring import QueryString

from kefu import i18n
from kefu.complaints.controllers.staff_labels import helpers
from kefu.complaints.policy import CHANNELS, OPEN_STATUSES, STATUSES, TERMINAL_STATUSES
from kefu.complaints.services import tenant_policy
from kefu.complaints.tables import Complaint
from kefu.core import clock
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
_PHONE_CHARS = re.compile(r"[\s()\-]")
EXPORT_HEADERS = [
    i18n.lazy("Number"), i18n.lazy("Status"), i18n.lazy("Channel"), i18n.lazy("Received on"),
    i18n.lazy("Complainant"), i18n.lazy("Phone"), i18n.lazy("Email"), i18n.lazy("Subject"),
    i18n.lazy("Category"), i18n.lazy("Policy or unit"), i18n.lazy("Handler"),
    i18n.lazy("Next deadline"), i18n.lazy("Due on"), i18n.lazy("Due state"),
    i18n.lazy("Materials notice due"), i18n.lazy("Acceptance notice due"),
    i18n.lazy("Decision due"), i18n.lazy("Provisional"), i18n.lazy("Decision"),
    i18n.lazy("Decided on"), i18n.lazy("Closed on"),
]


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
        # NUL cannot reach PostgreSQL (no browser sends it): dropped like other noise.
        q=(params.get("q") or "").replace("\x00", "").strip()[:Q_MAX],
    )


def phone_variants(raw: str) -> list[str]:
    """The forms a caller's phone may be stored in (schemas strips spaces, dashes, brackets;
    a mainland mobile may come with or without +86). [] if it is not a phone number."""
    phone = _PHONE_CHARS.sub("", raw or "")
    if not re.fullmatch(r"\+?\d{5,30}", phone):
        return []
    digits = phone.lstrip("+")
    local = digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    variants = {phone, local}
    if len(local) == 11:
        variants |= {f"+86{local}", f"86{local}"}
    return sorted(variants)


def _search(q: str, prefix: str, year: int):  # type: ignore[no-untyped-def]
    """Equality on indexed columns (number, phone, customer ref); a name prefix otherwise."""
    found = (Complaint.number == q.upper()) | (Complaint.customer_ref == q)
    if q.isdigit() and len(q) <= 6:  # "123" -> this year's TS2026-000123
        found = found | (Complaint.number == f"{prefix}{year}-{int(q):06d}")
    phones = phone_variants(q)
    if phones:
        return found | Complaint.complainant_phone.is_in(phones)
    name = q.replace("%", "").replace("_", "")
    if name:
        found = found | Complaint.complainant_name.like(f"{name}%")
    return found


def conditions(f: Filters, ctx: TenantContext, today: date) -> list:
    policy = tenant_policy(ctx.tenant)
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


def _order(query, f: Filters):  # type: ignore[no-untyped-def]
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


def workbook(ctx: TenantContext, rows: list[dict[str, Any]]) -> bytes:
    """The filtered worklist as XLSX; every text cell stays text (no formula from a name)."""
    today = clock.today_in(ctx.tenant.timezone)
    h = helpers(tenant_policy(ctx.tenant), today)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(i18n.gettext("Complaints"))
    sheet.append([i18n.gettext(x) for x in EXPORT_HEADERS])
    for r in rows:
        state = h["due_state"](r["next_due"]) if r["next_due"] else "none"
        values = [
            r["number"], h["status_label"](r["status"]), h["channel_label"](r["channel"]),
            r["received_on"], r["complainant_name"], r["complainant_phone"],
            r["complainant_email"], r["subject"], h["category_label"](r["category"]),
            r["customer_ref"], r["handler_name"] or "",
            h["deadline_label"](r["next_due_kind"]) if r["next_due_kind"] else "",
            r["next_due"], h["due_label"](state), r["materials_notice_due"],
            r["acceptance_notice_due"], r["decision_due"],
            i18n.gettext("Yes") if r["deadlines_provisional"] else "",
            h["decision_label"](r["decision"]) if r["decision"] else "", r["decided_on"],
            r["closed_on"],
        ]
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def open_for_phone(ctx: TenantContext, raw: str, limit: int = 10) -> list[dict[str, Any]]:
    """The caller's open complaints (same phone, however it was typed), newest first."""
    ctx.require("complaints.view")
    phones = phone_variants(raw)
    if not phones:
        return []
    return await scoped(
        Complaint, ctx.tenant_id, Complaint.id, Complaint.number, Complaint.status,
        Complaint.subject, Complaint.received_on, Complaint.complainant_name,
        Complaint.next_due, Complaint.next_due_kind,
    ).where(
        Complaint.complainant_phone.is_in(phones), Complaint.status.is_in(list(OPEN_STATUSES))
    ).order_by(Complaint.id, ascending=False).limit(limit)
