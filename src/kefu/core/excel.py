"""The one Excel writer: every tabular export (worklists, registers, results, lists) goes here.

Write-only workbooks, so a 50,000-row export streams instead of holding a cell object per
value. The rules every export shares live in `_cell`: text that looks like a formula stays
text (a complainant named "=HYPERLINK(…)" must not become a link in the manager's Excel),
dates and times get a readable format, and aware datetimes are shown in the tenant's wall
clock (Excel has no time zones).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kefu.core import progress
from kefu.core.pdf import download as _download
from kefu.core.web import render

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = "yyyy-mm-dd"
MINUTE = "yyyy-mm-dd hh:mm"
# Spreadsheet programs start a formula with any of these; openpyxl only with "=".
_FORMULA_START = ("=", "+", "-", "@")
_BAD_TITLE = set("\\/?*[]:")
# An export of more rows than this is written by a job (kefu.workers.services.start_export), not
# in the request; read at call time, so a test lowers it to force the job.
SYNC_ROWS = 2_000


def sheet_title(text: str, used: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of \\/?*[]:), unique in `used`."""
    clean = "".join(" " if c in _BAD_TITLE else c for c in text)[:31].strip() or "Sheet"
    title, n = clean, 2
    while title in used:
        title = f"{clean[:28]} {n}"
        n += 1
    used.add(title)
    return title


class Sheet:
    """One worksheet of a `Book`: rows appended in order."""

    def __init__(self, book: Book, ws: Any) -> None:
        self._book = book
        self.ws = ws
        self.rows = 0

    def append(self, values: Iterable[Any], *, bold: bool = False, formats: dict[int, str] | None = None) -> None:
        """One row. `formats` maps a 0-based column to a number format (e.g. "0.0%")."""
        formats = formats or {}
        self.ws.append([
            self._book.cell(self.ws, v, bold=bold, number_format=formats.get(i))
            for i, v in enumerate(values)
        ])
        self.rows += 1

    def extend(self, rows: Iterable[Iterable[Any]]) -> None:
        counter = self._book.progress
        for row in rows:
            self.append(row)
            if counter is not None:
                counter.advance()


class Book:
    """An XLSX being written. `tz` is the tenant's time zone for aware datetimes."""

    def __init__(self, tz: str | ZoneInfo | None = None) -> None:
        self.book = Workbook(write_only=True)
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self._titles: set[str] = set()
        self._bold = Font(bold=True)
        # Written by a job (kefu.workers.services.JobRun.in_thread): the rows go to its page.
        self.progress = progress.current()

    def sheet(self, title: str, headers: Sequence[str] = (), *, widths: Sequence[int] = (),
              freeze: bool = True) -> Sheet:
        ws = self.book.create_sheet(sheet_title(title, self._titles))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        sheet = Sheet(self, ws)
        if headers:
            if freeze:
                ws.freeze_panes = "A2"
            sheet.append(headers, bold=True)
        return sheet

    def cell(self, ws: Any, value: Any, *, bold: bool = False, number_format: str | None = None) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = (value.astimezone(self.tz) if self.tz else value).replace(tzinfo=None)
            number_format = number_format or MINUTE
        elif isinstance(value, date):
            number_format = number_format or DAY
        elif isinstance(value, str) and value.startswith(_FORMULA_START):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # text, never a formula
            if bold:
                cell.font = self._bold
            return cell
        if not bold and number_format is None:
            return value  # a plain value: no cell object, so big exports stay fast
        cell = WriteOnlyCell(ws, value=value)
        if bold:
            cell.font = self._bold
        if number_format:
            cell.number_format = number_format
        return cell

    def to_bytes(self) -> bytes:
        if not self.book.worksheets:
            self.sheet("Sheet")
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def table(title: str, headers: Sequence[str], rows: Iterable[Iterable[Any]], *,
          tz: str | ZoneInfo | None = None, widths: Sequence[int] = (), total: int = 0) -> bytes:
    """The common case: one sheet, a header row, the rows (`total` of them, when known: a
    job's page shows "n of total")."""
    book = Book(tz)
    if book.progress is not None and total:
        book.progress.total = total
    book.sheet(title, headers, widths=widths).extend(rows)
    return book.to_bytes()


def download(content: bytes, filename: str) -> Any:
    """The workbook as an attachment named `filename` (".xlsx" added when missing)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    return _download(content, filename, MEDIA_TYPE)


def is_large(rows: int) -> bool:
    """An export of `rows` source rows is written by a job, not in the request."""
    return rows > SYNC_ROWS


def respond(made: tuple[str, bytes]) -> Any:
    """A small export, written in the request (its workbook in a thread: kefu.core.progress.UNWATCHED),
    as an attachment nobody caches. `made` is (file name, workbook), what an export's function
    gives the request and the job (kefu.workers.services.run_export) alike."""
    name, content = made
    response = download(content, name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def large(request: Any, title: str, rows: int) -> Any:
    """The page a large export's link opens instead of the file: its button (a POST to the same
    address, with the same query) starts the job that writes it (kefu.workers.services.start_export)."""
    action = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return render(request, "jobs/export.html", {"title": title, "rows": rows, "action": action})
