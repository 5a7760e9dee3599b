"""The reports as Excel workbooks: one sheet per breakdown, numbers as numbers (counts as
integers, rates as fractions formatted as percentages, dates as dates), so the figures paste
into slides and charts as they are. Text cells are always text, never formulas.

Each export is one function for the request (a report over few complaints, written there) and
for a job (over many: kefu.workers.services.run_export, jobs.py), with the picker's values as
its arguments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl.chart import BarChart, Reference

from kefu import i18n
from kefu.complaints.controllers.reports_format import period_title
from kefu.complaints.labels import ReportLabels
from kefu.complaints.policy import policy_for
from kefu.complaints.queries import reports as q
from kefu.complaints.queries.reports import compute as a
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.excel import Book, Sheet
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.tenancy import TenantContext

PERCENT = "0.0%"
ANALYSIS = i18n.lazy("Preparing the complaint analysis export")
COMPLIANCE = i18n.lazy("Preparing the notice compliance export")
_ = i18n.gettext


def _ratio(line: a.Line) -> float | None:
    return line.change_ratio


def _bar_chart(sheet: Sheet, title: str, count: int) -> None:
    """A native Excel chart of columns C-D (this period, previous) by the names in column A,
    ready to copy into a slide."""
    if not count:
        return
    chart = BarChart()
    chart.type, chart.title, chart.style = "bar", title, 10
    chart.y_axis.majorGridlines = None
    ws = sheet.ws
    chart.add_data(Reference(ws, min_col=3, max_col=4, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=count + 1))
    chart.height, chart.width = max(6.0, 0.9 * count + 2), 16
    ws.add_chart(chart, "H2")


def analysis_workbook(report: a.Analysis, labels: ReportLabels, tenant_name: str, tz: str) -> bytes:
    book = Book(tz)
    cur, prev = report.current, report.previous
    headers = [_("Figure"), _("This period"), _("Previous period"), _("Change")]
    ws = book.sheet(_("Summary"), headers, widths=(34, 18, 18, 12))
    ws.append([_("Tenant"), tenant_name])
    ws.append([_("Period"), period_title(cur.period), period_title(prev.period)])
    ws.append([_("From"), cur.period.start, prev.period.start])
    ws.append([_("To"), cur.period.end, prev.period.end])
    ws.append([_("Complaints received"), cur.received, prev.received, cur.received - prev.received])
    ws.append([_("Complaints closed"), cur.handling.complaints, prev.handling.complaints,
                 cur.handling.complaints - prev.handling.complaints])
    ws.append([_("Average handling days"), cur.handling.days, prev.handling.days, report.handling_change], formats={1: "0.0", 2: "0.0", 3: "0.0"})
    ws.append([_("Repeat complainants"), len(cur.repeaters), len(prev.repeaters), report.repeaters.change])
    for name, rows in report.breakdowns():
        label = labels.of(name)
        ws = book.sheet(labels.breakdown(name), [
            _("Name"), _("Code"), _("This period"), _("Previous period"), _("Change"), _("Relative change"),
        ], widths=(30, 20, 14, 16, 10, 10))
        for line in rows:
            ws.append([label(line.code), line.code, line.current, line.previous, line.change,
                         _ratio(line)], formats={5: PERCENT})
        _bar_chart(ws, labels.breakdown(name), len(rows))
    _duty_sheet(book, report.rates, labels)
    ws = book.sheet(_("Repeat complainants"), [_("Name"), _("Phone"), _("Email"), _("Complaints")],
                    widths=(20, 24, 30, 12))
    for r in cur.repeaters:
        ws.append([r.name, ", ".join(r.phones), ", ".join(r.emails), r.complaints])
    return book.to_bytes()


def _duty_sheet(book: Book, rates: Iterable[a.RateLine], labels: ReportLabels) -> None:
    ws = book.sheet(_("Notices on time"), [
        _("Notice"), _("Owed"), _("Sent on time"), _("Sent late"), _("Open"), _("Overdue"),
        _("Not written yet"), _("On-time rate"), _("On-time rate, previous period"),
        _("Change (percentage points)"),
    ], widths=(30, 8, 12, 10, 8, 10, 14, 12, 16, 14))
    for r in rates:
        d = r.current
        ws.append([labels.duty(d.duty), d.owed, d.on_time, d.late, d.open, d.overdue, d.unwritten,
                     d.on_time_rate, r.previous.on_time_rate, r.change_points], formats={7: PERCENT, 8: PERCENT, 9: "0.0"})


def compliance_workbook(
    period: a.Period, duties: list[a.DutyFigures], late: list[a.LateItem], labels: ReportLabels,
    today: date, tz: str,
) -> bytes:
    book = Book(tz)
    ws = book.sheet(_("Statutory notices"), [
        _("Notice"), _("Owed"), _("Sent on time"), _("Sent late"), _("Open"), _("Overdue"),
        _("Not written yet"), _("On-time rate"),
    ], widths=(30, 8, 12, 10, 8, 10, 14, 12))
    for d in duties:
        ws.append([labels.duty(d.duty), d.owed, d.on_time, d.late, d.open, d.overdue,
                     d.unwritten, d.on_time_rate], formats={7: PERCENT})
    ws.append([])
    ws.append([_("Period"), period_title(period)])
    ws.append([_("From"), period.start])
    ws.append([_("To"), period.end])
    ws = book.sheet(_("Late and overdue"), [
        _("Complaint"), _("Notice"), _("Notice kind"), _("Due on"), _("Sent on"), _("Days late"),
        _("State"),
    ], widths=(18, 28, 20, 12, 12, 10, 28))
    for item in late:
        ws.append([item.number, labels.duty(item.duty), labels.notice_kind(item.kind), item.due_on,
                     item.sent_on, item.days_late(today), labels.late_state(item.state)])
    return book.to_bytes()


def _period(ctx: TenantContext, args: dict[str, Any]) -> a.Period:
    """The picker's period; a bad field is a 422 naming it (on the job's page, its message)."""
    ctx.require("complaints.reports")
    choice = a.parse_period(args, clock.today_in(ctx.tenant.timezone))
    if choice.errors:
        name, message = next(iter(choice.errors.items()))
        raise FieldError(name, message)
    return choice.period


def export_args(ctx: TenantContext, params: Any) -> dict[str, str]:
    """The picker's values as a job stores them (every field filled in, so the job's period is
    the request's whatever the day it runs)."""
    return dict(a.parse_period(params, clock.today_in(ctx.tenant.timezone)).values)


def filename(ctx: TenantContext, stem: str, period: a.Period, ext: str) -> str:
    return f"{stem}-{ctx.tenant.slug}-{period.start.isoformat()}-{period.end.isoformat()}.{ext}"


async def export_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    """The complaints a report over the period reads (the period before included: the analysis
    compares them)."""
    period = _period(ctx, args)
    return await q.received_count(ctx.tenant_id, period.previous().start, period.end)


async def analysis_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    period = _period(ctx, args)
    policy = policy_for(ctx.tenant.kind, ctx.tenant.settings)
    report = await q.analysis(ctx.tenant_id, period, clock.today_in(ctx.tenant.timezone),
                              channel_order=tuple(c.code for c in policy.channels),
                              category_order=tuple(c.code for c in policy.categories))
    labels, name, tz = ReportLabels(policy), ctx.tenant.name, ctx.tenant.timezone
    return (filename(ctx, "complaint-analysis", period, "xlsx"),
            await runner.in_thread(lambda _: analysis_workbook(report, labels, name, tz)))


async def compliance_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    period = _period(ctx, args)
    today = clock.today_in(ctx.tenant.timezone)
    duties = await q.duties(ctx.tenant_id, period, today)
    late = await q.late_list(ctx.tenant_id, period, today)
    labels, tz = ReportLabels(policy_for(ctx.tenant.kind, ctx.tenant.settings)), ctx.tenant.timezone
    return (filename(ctx, "notice-compliance", period, "xlsx"),
            await runner.in_thread(lambda _: compliance_workbook(period, duties, late, labels, today, tz)))
