"""The check of one unit's fields (the staff form and each import row use the same check),
the checks across an import file's rows, and what may be done with an import. No I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import INVALID, NOT_NUMBER, OUT_OF_RANGE, TOO_LONG, clean_text, parse_int
from kefu.units.policy.address import address_key, building_code, entrance_code, floor_of, room_code
from kefu.units.policy.pack import UnitsPack
from kefu.units.schemas import FLOORS, LIMITS, MAX_AREA, UnitInput

_CODE = re.compile(r"^[0-9A-Za-z\-]+$")
_AREA = re.compile(r"^[0-9]{1,8}(\.[0-9]{1,2})?$")
_AREA_UNITS = re.compile(r"(m²|m2|㎡|平方米|平米)$", re.IGNORECASE)
NOT_AREA = i18n.lazy("Enter the area in m² as a number such as 89.5.")
NOT_CODE = i18n.lazy("Use letters, digits and - only.")
NO_BUILDING = i18n.lazy("Name the building, such as 3栋.")


def _text(raw: Mapping[str, Any], name: str, errors: dict[str, FieldError], required: bool = False) -> str:
    value = raw.get(name)
    text, problem = clean_text("" if value is None else str(value), max_length=LIMITS[name],
                               required=required, multiline=name == "notes")
    if problem == TOO_LONG:
        errors[name] = FieldError(name, problem, max=LIMITS[name])
    elif problem:
        errors[name] = FieldError(name, problem)
    return "" if problem == INVALID else text


def parse_area(raw: str) -> Decimal | None:
    """"89.5", "89.50㎡", "120 m²" -> Decimal; "" -> None; raises ValueError otherwise (digits
    other than ASCII, more than two decimals, zero)."""
    text = _AREA_UNITS.sub("", (raw or "").strip()).strip()
    if not text:
        return None
    if not _AREA.match(text):
        raise ValueError(text)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from exc
    if not 0 < value <= MAX_AREA:
        raise ValueError(text)
    return value


def _use(raw: Mapping[str, Any], pack: UnitsPack, errors: dict[str, FieldError]) -> str:
    text = unicodedata.normalize("NFKC", str(raw.get("use") or "")).strip()
    for choice in pack.uses:
        if text.lower() in (choice.code, choice.label, choice.label_en.lower()):
            return choice.code
    if not text and pack.uses:
        return pack.uses[0].code
    labels = "、".join(c.label for c in pack.uses)
    errors["use"] = FieldError("use", "Choose one of: %(uses)s.", uses=labels)
    return ""


def _floor(raw: Mapping[str, Any], room: str, errors: dict[str, FieldError]) -> int | None:
    text = str(raw.get("floor") or "").strip()
    if not text:
        return floor_of(room)
    value = parse_int(text)
    if value is None:
        errors["floor"] = FieldError("floor", NOT_NUMBER)
    elif not FLOORS[0] <= value <= FLOORS[1]:
        errors["floor"] = FieldError("floor", OUT_OF_RANGE, min=FLOORS[0], max=FLOORS[1])
        return None
    return value


def check_unit(raw: Mapping[str, Any], pack: UnitsPack) -> tuple[UnitInput, dict[str, FieldError]]:
    """Every field of one unit at once: (the clean input, errors by field name)."""
    errors: dict[str, FieldError] = {}
    data = UnitInput()
    data.building = _text(raw, "building", errors, required=True)
    if data.building and "building" not in errors and not building_code(data.building):
        errors["building"] = FieldError("building", NO_BUILDING)
    data.entrance = _text(raw, "entrance", errors)
    data.room = _text(raw, "room", errors, required=True)
    for name, code in (("entrance", entrance_code), ("room", room_code)):
        value = code(getattr(data, name))
        if value and name not in errors and not _CODE.match(value):
            errors[name] = FieldError(name, NOT_CODE)
    data.floor = _floor(raw, data.room, errors)
    try:
        data.area = parse_area(str(raw.get("area") or ""))
    except ValueError:
        errors["area"] = FieldError("area", NOT_AREA)
    data.use = _use(raw, pack, errors)
    data.notes = _text(raw, "notes", errors)
    return data, errors


def key_of(data: UnitInput) -> str:
    return address_key(data.building, data.entrance, data.room)


def check_rows(parsed_rows: list[dict[str, Any]], pack: UnitsPack) -> list[dict[str, Any]]:
    """Per-row errors of an import file: [{"row": n, "field": f, "message": msgid, "vars": {...}}],
    in row order. The same check as the staff form, plus: a unit given twice in the file."""
    errors: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for item in parsed_rows:
        data, problems = check_unit(item["values"], pack)
        for name, problem in problems.items():
            errors.append({"row": item["row"], "field": name, "message": problem.message,
                           "vars": {k: str(v) for k, v in problem.variables.items()}})
        if {"building", "entrance", "room"} & set(problems):
            continue
        key = key_of(data)
        if key in first_row:
            errors.append({
                "row": item["row"], "field": "room",
                "message": i18n.lazy("This unit is also on row %(first)s."),
                "vars": {"first": str(first_row[key])},
            })
        else:
            first_row[key] = item["row"]
    return errors
