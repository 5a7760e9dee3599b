"""Unit input: the fields a unit is given with (UnitInput, the limits), the list's filters,
and the columns an import file may have. Plain parsing, no database; the checks of the values
are policy.check_unit / policy.check_rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import msgspec

from kefu import i18n
from kefu.core import uploads
from kefu.core.forms import filter_text, parse_int
from kefu.core.progress import Progress
from kefu.core.uploads import UploadError, read_table

LIMITS = {"building": 50, "entrance": 10, "room": 20, "notes": 2_000}
MAX_AREA = Decimal("99999999.99")
FLOORS = (-10, 300)
Q_MAX = 100
FORM_FIELDS = ("building", "entrance", "floor", "room", "area", "use", "notes")


class UnitInput(msgspec.Struct):
    """One unit's fields, checked and normalised (policy.check_unit)."""

    building: str = ""
    entrance: str = ""
    floor: int | None = None
    room: str = ""
    area: Decimal | None = None
    use: str = ""
    notes: str = ""


def form_fields(data: Mapping[str, str]) -> dict[str, str]:
    """The unit form's own fields of a posted form (anything else is ignored)."""
    return {k: v for k, v in data.items() if k in FORM_FIELDS}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    building: int | None = None
    use: str = ""

    def query_string(self) -> str:
        return urlencode({k: v for k, v in self.__dict__.items() if v})


def _param(value: str | None, limit: int = Q_MAX) -> str:
    return filter_text(value, limit)


def parse_filters(params: Any, uses: tuple[str, ...]) -> Filters:
    """Unknown values fall back to "any" rather than failing the page."""
    use = _param(params.get("use"))
    building = parse_int(params.get("building") or "")
    return Filters(
        q=_param(params.get("q")),
        building=building if building is not None and building > 0 else None,
        use=use if use in uses else "",
    )


# --- an import file ---------------------------------------------------------------------

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# header as written (lower-cased, spaces removed) -> field
HEADERS = {
    "楼栋": "building", "楼号": "building", "栋": "building", "building": "building",
    "单元": "entrance", "单元号": "entrance", "entrance": "entrance",
    "楼层": "floor", "层": "floor", "floor": "floor",
    "房号": "room", "室号": "room", "房间号": "room", "room": "room",
    "面积": "area", "建筑面积": "area", "面积(m²)": "area", "面积(㎡)": "area", "area": "area",
    "用途": "use", "类型": "use", "use": "use",
    "备注": "notes", "notes": "notes",
}
FIELD_LABELS = {
    "building": i18n.lazy("Building"), "entrance": i18n.lazy("Entrance"),
    "floor": i18n.lazy("Floor"), "room": i18n.lazy("Room"), "area": i18n.lazy("Area (m²)"),
    "use": i18n.lazy("Use"), "notes": i18n.lazy("Notes"),
}
REQUIRED_COLUMNS = ("building", "room")

# What is wrong with an uploaded file as a whole (kefu.core.uploads reads every table upload).
ImportFileError = UploadError
HEADER_WORDS = uploads.Headers(HEADERS, FIELD_LABELS)


def check_upload(filename: str, content: bytes) -> None:
    """The checks made at the upload itself (size, type); the rest is the job's."""
    uploads.check_upload(filename, content, max_bytes=MAX_BYTES)


def parse_file(filename: str, content: bytes, progress: Progress | None = None) -> uploads.ParsedFile:
    """The file's rows as {field: text}; raises ImportFileError naming what is wrong with it."""
    lines = read_table(filename, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, progress=progress)
    return uploads.read_rows(
        lines, HEADER_WORDS, required=REQUIRED_COLUMNS,
        missing=i18n.lazy("The first row must name the columns, with at least 楼栋 (building) and 房号 (room)."),
        no_rows=i18n.lazy("The file has column names but no units."),
    )
