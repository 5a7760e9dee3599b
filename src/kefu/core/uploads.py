"""The one reader of uploaded tables (customer imports, survey audience lists, units): XLSX through openpyxl's read-only mode, CSV in UTF-8 (with or without BOM) or
GB18030, what Chinese Excel saves as "CSV".

Limits hold before and while reading, so one tenant's file cannot hold the server: the
compressed size, the workbook's size once unpacked (a 281 KB file can inflate to 96 MB of empty
rows), every line read (empty ones count), and the columns of a row.

`read_rows` turns the lines into rows keyed by field, from a header row whose words (Chinese,
English, or the fields' labels in any language) name the columns.
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kefu import i18n
from kefu.core.progress import Progress

MAX_CELL = 1000  # characters kept of one cell
MAX_COLUMNS = 100
# An .xlsx is a zip of XML; a sheet of 20,000 real rows unpacks to a few MB.
MAX_UNPACKED = 60 * 1024 * 1024
# Reading one file, however it is built: callers run read_table in a worker thread
# (asyncio.to_thread), never on the event loop, and the reading stops past this many seconds.
TIME_LIMIT = 15.0

UNREADABLE_XLSX = i18n.lazy("This file cannot be read as an Excel (.xlsx) workbook.")
TOO_MANY_ROWS = i18n.lazy("The file has more than %(max)s rows; split it into several files.")
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


_ROW_TAG = re.compile(rb"[<:]row[\s/>]")


def _sheet_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, stop_after: int) -> int:
    """The <row> elements of one worksheet, counted while it streams (C-speed, no XML parse),
    up to `stop_after`. openpyxl would parse the whole sheet to find its size when the file
    states none: two million empty rows in 281 KB held the server for half a minute."""
    count, tail = 0, b""
    with archive.open(info) as stream:
        while count <= stop_after:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            count += len(_ROW_TAG.findall(data[: len(data) - 8] if len(chunk) == 1 << 20 else data))
            tail = data[len(data) - 8:] if len(chunk) == 1 << 20 else b""
    return count


def _check_unpacked(content: bytes, max_lines: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED:
                raise UploadError(i18n.lazy("The workbook is too large once unpacked; split it into several files."))
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    if _sheet_rows(archive, info, max_lines) > max_lines:
                        raise UploadError(TOO_MANY_ROWS, max=(max_lines - 1001) // 2)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise UploadError(UNREADABLE_XLSX) from exc


def _max_lines(max_rows: int) -> int:
    """Lines read at most: the header and max_rows rows, empty ones counting at twice that."""
    return 2 * max_rows + 1001


def _xlsx_rows(content: bytes, max_lines: int) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    _check_unpacked(content, max_lines)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UploadError(UNREADABLE_XLSX) from exc
    try:
        # max_row given: without it openpyxl reads the whole sheet first to find its size when
        # the file states none (two million empty rows held the server for 34 s).
        rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1, max_row=max_lines + 1)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet inside a valid zip
                raise UploadError(UNREADABLE_XLSX) from exc
            if row.count(None) == len(row):  # an empty row, fast: a bomb is millions of them
                yield []
                continue
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


def check_upload(filename: str, content: bytes, *, max_bytes: int) -> None:
    """What can be told of a file at once, before it is stored for a worker to read: its size
    and its type. Raises UploadError."""
    if len(content) > max_bytes:
        raise UploadError(i18n.lazy("The file is larger than %(max)s MB; split it into several files."),
                          max=max_bytes >> 20)
    if not content:
        raise UploadError(i18n.lazy("The file is empty."))
    if not filename.lower().endswith((".xlsx", ".csv", ".txt")):
        raise UploadError(i18n.lazy("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def read_table(filename: str, content: bytes, *, max_bytes: int, max_rows: int,
               time_limit: float = TIME_LIMIT, progress: Progress | None = None) -> Iterator[list[str]]:
    """Every line of the file's first sheet as text cells, the header included. Raises
    UploadError for a file that is too big, of another type, unreadable, longer than
    `max_rows` lines of content (or than twice that counting empty lines), too wide, or still
    being read `time_limit` seconds after this call. CPU-bound: call it (and consume it) in a
    worker thread, never on the event loop: an import's job (kefu.workers.services.JobRun.in_thread)
    or asyncio.to_thread. `progress.done` counts the lines read."""
    deadline = time.monotonic() + time_limit
    check_upload(filename, content, max_bytes=max_bytes)
    if filename.lower().endswith(".xlsx"):
        lines = _xlsx_rows(content, _max_lines(max_rows))
    else:
        lines = _csv_rows(content)
    return _limited(lines, max_rows, deadline, progress or Progress())


def _limited(lines: Iterator[list[str]], max_rows: int, deadline: float, progress: Progress) -> Iterator[list[str]]:
    filled = 0
    for read, row in enumerate(lines, start=1):
        if read % 256 == 0:
            progress.done = read
            if time.monotonic() > deadline:
                raise UploadError(i18n.lazy("Reading the file took too long; split it into several files."))
        if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
            raise UploadError(i18n.lazy("The file has more than %(max)s columns."), max=MAX_COLUMNS)
        if any(row):
            filled += 1
        # the header plus max_rows rows; empty lines count too, at twice the allowance
        if filled > max_rows + 1 or read > _max_lines(max_rows):
            raise UploadError(TOO_MANY_ROWS, max=max_rows)
        yield row[:MAX_COLUMNS]


# --- a table with named columns -----------------------------------------------------------


@dataclass
class ParsedFile:
    columns: dict[str, str]  # field -> the header as the file wrote it
    rows: list[dict[str, Any]] = field(default_factory=list)  # {"row": n, "values": {field: text}}


def header_key(text: str) -> str:
    """A header as looked up: NFKC, no spaces, lower case ("电 话", "Phone" -> "电话", "phone")."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


class Headers:
    """The headers a file may name its columns with: fixed words (`words`, header_key form ->
    field) and each field's label in every language, so an export's own headers import again."""

    def __init__(self, words: Mapping[str, str], labels: Mapping[str, str]) -> None:
        self.words = dict(words)
        self.labels = dict(labels)
        self._translated: dict[str, str] | None = None

    def _label_words(self) -> dict[str, str]:
        if self._translated is None:
            found: dict[str, str] = {}
            for locale in i18n.LOCALES:
                with i18n.using_locale(locale):
                    found.update({header_key(i18n.gettext(label)): name for name, label in self.labels.items()})
            self._translated = found
        return self._translated

    def field(self, header: str) -> str | None:
        key = header_key(header)
        return self.words.get(key) or self._label_words().get(key)


def _columns(header: list[str], headers: Headers, required: Sequence[str], missing: str) -> dict[int, str]:
    """Column index -> field; raises when a field's column is given twice or a required one is missing."""
    found: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, text in enumerate(header):
        name = headers.field(text) if text else None
        if name is None:
            continue
        if name in seen:
            raise UploadError(
                i18n.lazy("The columns %(first)s and %(second)s say the same thing; keep one."),
                first=seen[name], second=text,
            )
        seen[name] = text
        found[index] = name
    if any(name not in seen for name in required):
        raise UploadError(missing)
    return found


def read_rows(lines: Iterable[list[str]], headers: Headers, *, required: Sequence[str],
              missing: str, no_rows: str) -> ParsedFile:
    """The header row (the first non-empty one), then every non-empty row as {field: text},
    numbered as the file numbers them (the header is row 1 when it is the first line).
    `missing` (the required columns are not all there) and `no_rows` are the caller's msgids."""
    iterator = iter(lines)
    header: list[str] | None = None
    for row in iterator:
        if any(row):
            header = row
            break
    if header is None:
        raise UploadError(i18n.lazy("The file is empty."))
    columns = _columns(header, headers, required, missing)
    parsed = ParsedFile(columns={name: header[i] for i, name in columns.items()})
    for number, row in enumerate(iterator, start=2):
        if not any(row):
            continue
        values = {name: row[i] if i < len(row) else "" for i, name in columns.items()}
        parsed.rows.append({"row": number, "values": values})
    if not parsed.rows:
        raise UploadError(no_rows)
    return parsed
