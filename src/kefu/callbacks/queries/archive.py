"""The record archive (art. 25): submitted records searchable by customer (name or reference),
campaign, kind and date, paged, and its XLSX export through the one Excel writer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

from kefu import i18n
from kefu.callbacks import labels
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.queries.tasks import RECORD_COLUMNS, loaded
from kefu.callbacks.tables import CallbackRecord
from kefu.core import excel
from kefu.core.forms import filter_text, parse_day, parse_int
from kefu.core.paging import Page, page_number
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

VIEW = "callbacks.view"
PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class Filters:
    customer: str = ""
    campaign_id: int | None = None
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def read(cls, q: dict[str, Any]) -> Filters:
        """From the query string: bad values are dropped (a filter never fails the page)."""
        campaign = parse_int(q.get("campaign") or "")
        return cls(customer=filter_text(q.get("customer"), 100), kind=filter_text(q.get("kind"), 40),
                   campaign_id=campaign if campaign and 0 < campaign < 2**31 else None,
                   date_from=parse_day(q.get("from") or ""), date_to=parse_day(q.get("to") or ""))

    def query_string(self) -> str:
        return urlencode({"customer": self.customer, "campaign": self.campaign_id or "", "kind": self.kind,
                          "from": self.date_from or "", "to": self.date_to or ""})


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(f: Filters) -> list[Any]:
    where: list[Any] = [CallbackRecord.status == "submitted"]
    if f.customer:
        where.append(CallbackRecord.customer_name.ilike(_like(f.customer))
                     | CallbackRecord.reference.ilike(_like(f.customer)))
    if f.campaign_id:
        where.append(CallbackRecord.campaign == f.campaign_id)
    if f.kind:
        where.append(CallbackRecord.kind == f.kind)
    if f.date_from:
        where.append(CallbackRecord.callback_on >= f.date_from)
    if f.date_to:
        where.append(CallbackRecord.callback_on <= f.date_to)
    return where


async def search_records(ctx: TenantContext, f: Filters, raw_page: str | None) -> Page:
    """Submitted records, newest callback first. 403 without callbacks.view."""
    ctx.require(VIEW)
    number = page_number(raw_page)
    where = conditions(f)
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackRecord, ctx.tenant_id, *RECORD_COLUMNS).where(*where).order_by(
            CallbackRecord.callback_on, ascending=False).order_by(CallbackRecord.id, ascending=False).limit(
            PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        total = await scoped_count(CallbackRecord, ctx.tenant_id).where(*where)
    return Page([loaded(r) for r in rows], number, PAGE_SIZE, total)


async def record(ctx: TenantContext, record_id: int) -> dict[str, Any]:
    """One record (any status) for whoever sees the archive; 403, 404."""
    ctx.require(VIEW)
    await get_in_tenant(CallbackRecord, ctx.tenant_id, record_id)
    rows = await scoped(CallbackRecord, ctx.tenant_id, *RECORD_COLUMNS).where(CallbackRecord.id == record_id)
    return loaded(rows[0])


EXPORTING = i18n.lazy("Preparing the callback records export")


def export_args(f: Filters) -> dict[str, str]:
    """The archive's filters as a job stores them (read again, and checked, by export_file)."""
    return dict(parse_qsl(f.query_string()))


async def export_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    ctx.require(VIEW)
    return await scoped_count(CallbackRecord, ctx.tenant_id).where(*conditions(Filters.read(args)))


async def export_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the filtered archive, at most EXPORT_LIMIT rows: written in the
    request when small, by a job (jobs.export_callback_records) when large."""
    ctx.require(VIEW)
    async with transaction(ctx.tenant_id, write=False):
        rows = await scoped(CallbackRecord, ctx.tenant_id, *RECORD_COLUMNS).where(*conditions(Filters.read(args))).order_by(
            CallbackRecord.callback_on, ascending=False).order_by(CallbackRecord.id, ascending=False).limit(EXPORT_LIMIT)
    kind_label, method_label, tz = labels.kinds(callbacks_for(ctx.tenant.kind)), labels.METHOD, ctx.tenant.timezone

    def line(r: dict[str, Any]) -> list[Any]:
        r = loaded(r)
        answers = "\n".join(f"{k}: {v}" for k, v in (r["answers"] or {}).items() if v)
        return [r["id"], r["callback_on"], kind_label(r["kind"]), method_label(r["method"]), r["customer_name"],
                r["reference"], answers, r["notes"], r["recording_ref"], r["written_by_name"] or "", r["locked_at"],
                r["retain_until"]]

    def write(_: Any) -> bytes:  # in a thread; the reader's locale travels in the context
        headers = [i18n.gettext(h) for h in (
            "Record", "Callback date", "Kind", "Callback method", "Customer", "Reference", "Answers", "Notes",
            "Recording", "Written by", "Locked at", "Kept until")]
        return excel.table(i18n.gettext("Callback records"), headers, (line(r) for r in rows), tz=tz)

    return "callback-records.xlsx", await runner.in_thread(write)
