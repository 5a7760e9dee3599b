"""A resident's link to a unit (owner, resident, tenant; from and until a day), and how a
customer's free-text building and flat name a unit. Plain functions, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import NOT_DAY, NOT_LISTED, REQUIRED, clean_text, parse_day
from kefu.units.policy.address import Address, building_code, parse_address, room_code

ROLES = ("owner", "resident", "tenant")
# A customer kind of the registry -> the role its link to a unit takes.
KIND_ROLES = {"owner": "owner", "resident": "resident"}
ENDS_BEFORE = i18n.lazy("The end cannot be before the start.")


def _day(raw: Mapping[str, Any], name: str, errors: dict[str, FieldError]) -> date | None:
    text = str(raw.get(name) or "").strip()
    if not text:
        return None
    value = parse_day(text)
    if value is None:
        errors[name] = FieldError(name, NOT_DAY)
    return value


def check_residency(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """({"customer": text, "role", "starts_on", "ends_on"}, errors by field)."""
    errors: dict[str, FieldError] = {}
    customer, problem = clean_text(str(raw.get("customer") or ""), max_length=100, required=True)
    if problem:
        errors["customer"] = FieldError("customer", problem, max=100)
    role = str(raw.get("role") or "").strip()
    if role not in ROLES:
        errors["role"] = FieldError("role", NOT_LISTED if role else REQUIRED)
    starts, ends = _day(raw, "starts_on", errors), _day(raw, "ends_on", errors)
    if starts and ends and ends < starts:
        errors["ends_on"] = FieldError("ends_on", ENDS_BEFORE)
    return {"customer": customer, "role": role, "starts_on": starts, "ends_on": ends}, errors


def phone_tail(phone: str) -> str:
    digits = "".join(c for c in phone or "" if c.isascii() and c.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def flat_address(building: str, flat: str) -> Address | None:
    """The unit a customer's free-text building ("3栋") and flat ("2单元1501", "2-1501",
    "1501室") name, or None when they do not read as one."""
    if not building.strip() or not flat.strip():
        return None
    found = parse_address(f"{building.strip()}-{flat.strip()}")
    if found is None:  # "紫荆苑" and "1501": a building without a number
        room = room_code(flat)
        code = building_code(building)
        return Address(code, "", room) if room.isalnum() and code else None
    return found
