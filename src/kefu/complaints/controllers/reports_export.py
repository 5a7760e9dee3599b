"""The reports as Excel workbooks: one sheet per breakdown, numbers as numbers (counts as
integers, rates as fractions formatted as percentages, dates as dates), so the figures paste
into slides and charts as they are. Text cells are always text, never formulas."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kefu import i18n
from kefu.complaints import analysis as a
from kefu.complaints.controllers.reports_labels import Labels, period_title

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
DAY = "yyyy-mm-dd"
_ = i18n.gettext


def _sheet_title(text: str, used: set[str]) -> str:
    clean = "".join(" " if c in "\\/?*[]:" else c for c in text)[:31].strip() or "Sheet"
    title, n = clean, 2
    while title in used:
        title = f"{clean[:28]} {n}"
        n += 1
    used.add(title)
    return title


def _append(ws: Worksheet, values: Sequence[Any], formats: dict[int, str] | None = None, bold: bool = False) -> None:
    ws.append([None] * len(values))
    row = ws.max_row
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # "=HYPERLINK(…)" in a name or a department stays text
        if formats and col in formats:
            cell.number_format = formats[col]
        elif isinstance(value, date):
            cell.number_format = DAY
        if bold:
            cell.font = Font(bold=True)


class Book:
    def __init__(self) -> None:
        self.book = Workbook()
        self.book.remove(self.book.active)
        self.used: set[str] = set()

    def sheet(self, title: str, headers: Sequence[str], widths: Sequence[int] = ()) -> Worksheet:
        ws = self.book.create_sheet(_sheet_title(title, self.used))
        _append(ws, headers, bold=True)
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        return ws

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _ratio(line: a.Line) -> float | None:
    return line.change_ratio


def _bar_chart(ws: Worksheet, title: str, count: int) -> None:
    """A native Excel chart of columns C-D (this period, previous) by the names in column A,
    ready to copy into a slide."""
    if not count:
        return
    chart = BarChart()
    chart.type, chart.title, chart.style = "bar", title, 10
    chart.y_axis.majorGridlines = None
    chart.add_data(Reference(ws, min_col=3, max_col=4, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=count + 1))
    chart.height, chart.width = max(6.0, 0.9 * count + 2), 16.0
    ws.add_chart(chart, "H2")


def analysis_workbook(report: a.Analysis, labels: Labels, tenant_name: str) -> bytes:
    book = Book()
    cur, prev = report.current, report.previous
    headers = [_("Figure"), _("This period"), _("Previous period"), _("Change")]
    ws = book.sheet(_("Summary"), headers, (34, 18, 18, 12))
    _append(ws, [_("Tenant"), tenant_name])
    _append(ws, [_("Period"), period_title(cur.period), period_title(prev.period)])
    _append(ws, [_("From"), cur.period.start, prev.period.start])
    _append(ws, [_("To"), cur.period.end, prev.period.end])
    _append(ws, [_("Complaints received"), cur.received, prev.received, cur.received - prev.received])
    _append(ws, [_("Complaints closed"), cur.handling.complaints, prev.handling.complaints,
                 cur.handling.complaints - prev.handling.complaints])
    _append(ws, [_("Average handling days"), cur.handling.days, prev.handling.days, report.handling_change],
            {2: "0.0", 3: "0.0", 4: "0.0"})
    _append(ws, [_("Repeat complainants"), len(cur.repeaters), len(prev.repeaters), report.repeaters.change])
    for name, rows in report.breakdowns():
        label = labels.of(name)
        ws = book.sheet(labels.breakdown(name), [
            _("Name"), _("Code"), _("This period"), _("Previous period"), _("Change"), _("Relative change"),
        ], (30, 20, 14, 16, 10, 10))
        for line in rows:
            _append(ws, [label(line.code), line.code, line.current, line.previous, line.change,
                         _ratio(line)], {6: PERCENT})
        _bar_chart(ws, labels.breakdown(name), len(rows))
    _duty_sheet(book, report.rates, labels)
    ws = book.sheet(_("Repeat complainants"), [_("Name"), _("Phone"), _("Email"), _("Complaints")],
                    (20, 24, 30, 12))
    for r in cur.repeaters:
        _append(ws, [r.name, ", ".join(r.phones), ", ".join(r.emails), r.complaints])
    return book.bytes()


def _duty_sheet(book: Book, rates: Iterable[a.RateLine], labels: Labels) -> None:
    ws = book.sheet(_("Notices on time"), [
        _("Notice"), _("Owed"), _("Sent on time"), _("Sent late"), _("Open"), _("Overdue"),
        _("Not written yet"), _("On-time rate"), _("On-time rate, previous period"),
        _("Change (percentage points)"),
    ], (30, 8, 12, 10, 8, 10, 14, 12, 16, 14))
    for r in rates:
        d = r.current
        _append(ws, [labels.duty(d.duty), d.owed, d.on_time, d.late, d.open, d.overdue, d.unwritten,
                     d.on_time_rate, r.previous.on_time_rate, r.change_points],
                {8: PERCENT, 9: PERCENT, 10: "0.0"})


def compliance_workbook(
    period: a.Period, duties: list[a.DutyFigures], late: list[a.LateItem], labels: Labels,
    today: date,
) -> bytes:
    book = Book()
    ws = book.sheet(_("Statutory notices"), [
        _("Notice"), _("Owed"), _("Sent on time"), _("Sent late"), _("Open"), _("Overdue"),
        _("Not written yet"), _("On-time rate"),
    ], (30, 8, 12, 10, 8, 10, 14, 12))
    for d in duties:
        _append(ws, [labels.duty(d.duty), d.owed, d.on_time, d.late, d.open, d.overdue,
                     d.unwritten, d.on_time_rate], {8: PERCENT})
    _append(ws, [])
    _append(ws, [_("Period"), period_title(period)])
    _append(ws, [_("From"), period.start])
    _append(ws, [_("To"), period.end])
    ws = book.sheet(_("Late and overdue"), [
        _("Complaint"), _("Notice"), _("Notice kind"), _("Due on"), _("Sent on"), _("Days late"),
        _("State"),
    ], (18, 28, 20, 12, 12, 10, 28))
    for item in late:
        _append(ws, [item.number, labels.duty(item.duty), labels.notice_kind(item.kind), item.due_on,
                     item.sent_on, item.days_late(today), labels.late_state(item.state)])
    return book.bytes()
