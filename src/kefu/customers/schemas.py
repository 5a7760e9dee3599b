"""Customer input: the fields one customer is given with (CustomerInput, the length limits),
the list's filters, and an uploaded import file read into rows. Plain parsing, no database;
the checks of the values are policy.check_customer / policy.check_rows.

An import file is XLSX (openpyxl, read-only) or CSV (UTF-8 with or without BOM; GB18030 —
what Chinese Excel writes as "CSV" — when the bytes are not UTF-8). The first non-empty row
names the columns, in Chinese or English (姓名/name, 电话/phone…); unknown columns are ignored.
Row numbers are the file's own (the header is row 1), so staff find the row in Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import msgspec

from kefu import i18n
from kefu.core import uploads
from kefu.core.forms import filter_text
from kefu.core.progress import Progress
from kefu.core.uploads import UploadError, read_table

LIMITS = {
    "name": 100, "phone": 30, "email": 254, "postal_address": 300, "external_ref": 64,
    "building": 100, "unit": 100, "notes": 2_000,
}
MAX_TAGS = 20
MAX_TAG = 50
Q_MAX = 100
FORM_FIELDS = (
    "name", "kind", "phone", "email", "postal_address", "external_ref", "building", "unit",
    "consent", "preferred_channel", "tags", "notes", "is_active",
)


class CustomerInput(msgspec.Struct):
    """One customer's fields, checked and normalised (policy.check_customer)."""

    name: str = ""
    kind: str = ""
    phone: str = ""
    email: str = ""
    postal_address: str = ""
    external_ref: str = ""
    building: str = ""
    unit: str = ""
    consent_contact: bool = False
    preferred_channel: str = "sms"
    tags: list[str] = msgspec.field(default_factory=list)
    notes: str = ""


def form_fields(data: Mapping[str, str]) -> dict[str, str]:
    """The customer form's own fields of a posted form (anything else is ignored)."""
    return {k: v for k, v in data.items() if k in FORM_FIELDS}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kind: str = ""
    tag: str = ""
    building: str = ""

    def query_string(self) -> str:
        return urlencode({k: v for k, v in self.__dict__.items() if v})


def _param(value: str | None, limit: int = Q_MAX) -> str:
    return filter_text(value, limit)


def parse_filters(params: Any, kinds: tuple[str, ...]) -> Filters:
    """Unknown values fall back to "any" rather than failing the page."""
    kind = _param(params.get("kind"))
    return Filters(
        q=_param(params.get("q")),
        kind=kind if kind in kinds else "",
        tag=_param(params.get("tag"), MAX_TAG),
        building=_param(params.get("building"), LIMITS["building"]),
    )


# --- an import file ---------------------------------------------------------------------

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# header as written (lower-cased, spaces removed) -> field
HEADERS = {
    "姓名": "name", "客户姓名": "name", "名称": "name", "name": "name",
    "电话": "phone", "手机": "phone", "手机号": "phone", "手机号码": "phone", "联系电话": "phone",
    "phone": "phone", "mobile": "phone",
    "邮箱": "email", "电子邮箱": "email", "email": "email", "e-mail": "email",
    "类型": "kind", "客户类型": "kind", "kind": "kind", "type": "kind",
    "楼栋": "building", "楼号": "building", "building": "building",
    "房号": "unit", "单元房号": "unit", "室号": "unit", "unit": "unit",
    "保单号": "external_ref", "客户编号": "external_ref", "业主编号": "external_ref",
    "业主编号或客户编号": "external_ref",
    "external_ref": "external_ref", "ref": "external_ref", "reference": "external_ref",
    "同意联系": "consent", "consent": "consent",
    "首选渠道": "preferred_channel", "联系渠道": "preferred_channel", "channel": "preferred_channel",
    "preferred_channel": "preferred_channel",
    "标签": "tags", "分组": "tags", "tags": "tags", "segments": "tags",
    "地址": "postal_address", "通讯地址": "postal_address", "联系地址": "postal_address",
    "address": "postal_address", "postal_address": "postal_address",
    "备注": "notes", "notes": "notes",
}
FIELD_LABELS = {
    "name": i18n.lazy("Full name"), "kind": i18n.lazy("Kind"), "phone": i18n.lazy("Phone"),
    "email": i18n.lazy("Email"), "postal_address": i18n.lazy("Postal address"),
    "external_ref": i18n.lazy("Policy or customer number"), "building": i18n.lazy("Building"),
    "unit": i18n.lazy("Flat"), "consent": i18n.lazy("Consent to contact"),
    "preferred_channel": i18n.lazy("Preferred channel"), "tags": i18n.lazy("Tags"),
    "notes": i18n.lazy("Notes"),
}


# What is wrong with an uploaded file as a whole (kefu.core.uploads reads every table upload).
ImportFileError = UploadError
ParsedFile = uploads.ParsedFile
HEADER_WORDS = uploads.Headers(HEADERS, FIELD_LABELS)


def header_field(header: str) -> str | None:
    return HEADER_WORDS.field(header)


def read_rows(rows: Iterable[list[str]]) -> ParsedFile:
    """The header row, then every non-empty row (at most MAX_ROWS) as {field: text}."""
    return uploads.read_rows(
        rows, HEADER_WORDS, required=("name",),
        missing=i18n.lazy("The first row must name the columns, with at least 姓名 (name)."),
        no_rows=i18n.lazy("The file has column names but no customers."),
    )


def check_upload(filename: str, content: bytes) -> None:
    """The checks made at the upload itself (size, type); the rest is the job's."""
    uploads.check_upload(filename, content, max_bytes=MAX_BYTES)


def parse_file(filename: str, content: bytes, progress: Progress | None = None) -> ParsedFile:
    """Raises ImportFileError naming what is wrong with the file as a whole."""
    return read_rows(read_table(filename, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, progress=progress))
