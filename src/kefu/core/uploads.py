"""The one reader of uploaded tables (customer imports, survey audience lists, later units and
residents): XLSX through openpyxl's read-only mode, CSV in UTF-8 (with or without BOM) or
GB18030, what Chinese Excel saves as "CSV".

Limits hold before and while reading, so one tenant's file cannot hold the server: the
compressed size, the workbook's size once unpacked (a 281 KB file can inflate to 96 MB of empty
rows), every line read (empty ones count), and the columns of a row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from kefu import i18n

MAX_CELL = 1000  # characters kept of one cell
MAX_COLUMNS = 100
# An .xlsx is a zip of XML; a sheet of 20,000 real rows unpacks to a few MB.
MAX_UNPACKED = 60 * 1024 * 1024

UNREADABLE_XLSX = i18n.lazy("This file cannot be read as an Excel (.xlsx) workbook.")
NOT_TEXT = i18n.lazy("This CSV file is neither UTF-8 nor GBK text.")


class UploadError(ValueError):
    """The file as a whole cannot be used: a msgid and its variables, shown at the upload."""

    def __init__(self, message: str, **variables: object) -> None:
        super().__init__(message)
        self.message = message
        self.variables = variables

    def translated(self) -> str:
        return i18n.gettext(self.message, **self.variables)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number Excel stored as a number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()[:MAX_CELL]


def _check_unpacked(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UploadError(UNREADABLE_XLSX) from exc
    if unpacked > MAX_UNPACKED:
        raise UploadError(i18n.lazy("The workbook is too large once unpacked; split it into several files."))


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    _check_unpacked(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UploadError(UNREADABLE_XLSX) from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet inside a valid zip
                raise UploadError(UNREADABLE_XLSX) from exc
            cells = [_cell(v) for v in row]
            while cells and not cells[-1]:  # max_col pads every row to the limit
                cells.pop()
            yield cells
    finally:
        book.close()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise UploadError(NOT_TEXT)


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = _decode(content)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            yield [c.strip()[:MAX_CELL] for c in row]
    except csv.Error as exc:
        raise UploadError(i18n.lazy("This CSV file cannot be read: %(problem)s"), problem=str(exc)) from exc


def read_table(filename: str, content: bytes, *, max_bytes: int, max_rows: int) -> Iterator[list[str]]:
    """Every line of the file's first sheet as text cells, the header included. Raises
    UploadError for a file that is too big, of another type, unreadable, longer than
    `max_rows` lines of content (or than twice that counting empty lines) or too wide."""
    if len(content) > max_bytes:
        raise UploadError(i18n.lazy("The file is larger than %(max)s MB; split it into several files."),
                          max=max_bytes >> 20)
    if not content:
        raise UploadError(i18n.lazy("The file is empty."))
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        lines = _xlsx_rows(content)
    elif lowered.endswith((".csv", ".txt")):
        lines = _csv_rows(content)
    else:
        raise UploadError(i18n.lazy("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    return _limited(lines, max_rows)


def _limited(lines: Iterator[list[str]], max_rows: int) -> Iterator[list[str]]:
    filled = 0
    for read, row in enumerate(lines, start=1):
        if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
            raise UploadError(i18n.lazy("The file has more than %(max)s columns."), max=MAX_COLUMNS)
        if any(row):
            filled += 1
        # the header plus max_rows rows; empty lines count too, at twice the allowance
        if filled > max_rows + 1 or read > 2 * max_rows + 1000:
            raise UploadError(i18n.lazy("The file has more than %(max)s rows; split it into several files."),
                              max=max_rows)
        yield row[:MAX_COLUMNS]
