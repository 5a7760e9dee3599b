"""The input of `register_complaint`, checked field by field, and the staff forms' values.

`parse_new_complaint` takes the JSON API's shape (a mapping, with `complainant` nested) and
returns a NewComplaint, or raises FieldError naming the first bad field (dotted:
`complainant.email`). `check_new_complaint` returns every error at once, for forms. Text goes
through the shared gate (kefu.core.forms.clean_text: control characters, length), phones
through kefu.core.phones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import msgspec

from kefu.complaints.policy import ComplaintPolicy
from kefu.core import phones
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.forms import Form, clean_text, parse_day, parse_int

EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"'.]+$")
KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

# field -> max length (characters)
LIMITS = {
    "complainant.name": 100, "complainant.phone": 30, "complainant.email": 254,
    "complainant.address": 300, "customer_ref": 64, "subject": 200, "description": 10_000,
    "regulator.unit": 200, "regulator.reference": 100, "regulator.report_requested": 2_000,
}
MAX_TEXT = 10_000
_TRUE = {True, "1", "true", "on", "yes"}
_FALSE = {False, None, "", "0", "false", "off", "no"}


class Complainant(msgspec.Struct, frozen=True):
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    relation: str = "consumer"
    authorisation_doc: bool = False


class Regulator(msgspec.Struct, frozen=True):
    """A art. 13: the transferring unit, its reference, and the report it asks for."""

    unit: str
    reference: str = ""
    report_requested: str = ""
    report_due: date | None = None


class NewComplaint(msgspec.Struct, frozen=True):
    channel: str
    received_on: date
    complainant: Complainant
    subject: str
    description: str
    category: str
    customer_ref: str = ""
    materials_complete: bool = False
    is_major: bool = False
    regulator: Regulator | None = None
    idempotency_key: str | None = None


class _Reader:
    """Reads one mapping field by field, collecting FieldErrors instead of stopping."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.errors: dict[str, FieldError] = {}

    def _get(self, field: str) -> Any:
        value: Any = self.raw
        for part in field.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return value

    def fail(self, field: str, message: str, **kw: object) -> None:
        self.errors.setdefault(field, FieldError(field, message, **kw))

    def text(self, field: str, *, required: bool = False, pattern: re.Pattern | None = None) -> str:
        value = self._get(field)
        if value is not None and not isinstance(value, str):
            self.fail(field, "Enter text.")
            return ""
        limit = LIMITS.get(field, MAX_TEXT)
        # Line breaks and tabs are kept (an address, a description); other controls are refused.
        value, problem = clean_text(value, max_length=limit, required=required, multiline=True)
        if problem:
            self.fail(field, problem, max=limit)
        elif value and pattern is not None and not pattern.match(value):
            self.fail(field, "Enter a valid value.")
        return value

    def phone(self, field: str) -> str:
        """Stored normalised, so repeat detection and caller lookup compare like with like."""
        raw = self.text(field)
        phone = phones.normalise(raw) if field not in self.errors else ""
        if phone is None:
            self.fail(field, "Enter a valid value.")
        return phone or ""

    def choice(self, field: str, options: tuple[str, ...] | list[str], default: str = "") -> str:
        value = self._get(field)
        value = default if value in (None, "") else value
        if value not in options:
            self.fail(field, "Choose one of the listed values.")
        return value if isinstance(value, str) else ""

    def flag(self, field: str) -> bool:
        value = self._get(field)
        value = value.strip().lower() if isinstance(value, str) else value
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.fail(field, "Enter yes or no.")
        return False

    def day(self, field: str, default: date | None, check: Callable[[date], str | None]) -> Any:
        value = self._get(field)
        if value in (None, ""):
            return default
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                self.fail(field, "Enter a date as YYYY-MM-DD.")
                return default
        if not isinstance(value, date):
            self.fail(field, "Enter a date as YYYY-MM-DD.")
            return default
        problem = check(value)
        if problem:
            self.fail(field, problem)
        return value


def _complainant(r: _Reader, relations: list[str]) -> Complainant:
    c = Complainant(
        name=r.text("complainant.name", required=True),
        phone=r.phone("complainant.phone"),
        email=r.text("complainant.email", pattern=EMAIL_RE).lower(),
        address=r.text("complainant.address"),
        relation=r.choice("complainant.relation", relations, default=relations[0]),
        authorisation_doc=r.flag("complainant.authorisation_doc"),
    )
    if not (c.phone or c.email or c.address) and "complainant.phone" not in r.errors:
        # A art. 12, 16: the complainant must be reachable for the notices owed.
        r.fail("complainant.phone", "Enter a phone number, an email or a postal address.")
    return c


def _regulator(r: _Reader, channel: str, today: date) -> Regulator | None:
    if channel != "regulator":
        return None
    return Regulator(
        unit=r.text("regulator.unit", required=True),
        reference=r.text("regulator.reference"),
        report_requested=r.text("regulator.report_requested"),
        report_due=r.day("regulator.report_due", None, lambda d: None),
    )


def check_new_complaint(
    raw: Mapping[str, Any], policy: ComplaintPolicy, today: date
) -> tuple[NewComplaint | None, dict[str, FieldError]]:
    """Every field's error at once (a form shows them all); the complaint when there is none."""
    if not isinstance(raw, Mapping):
        return None, {"__all__": FieldError("__all__", "Expected an object.")}
    r = _Reader(raw)
    channel = r.choice("channel", [c.code for c in policy.channels])
    received_on = r.day(
        "received_on", today, lambda d: "The date cannot be in the future." if d > today else None
    )
    key = r.text("idempotency_key", pattern=KEY_RE) or None
    complaint = NewComplaint(
        channel=channel,
        received_on=received_on,
        complainant=_complainant(r, [c.code for c in policy.relations]),
        subject=r.text("subject", required=True),
        description=r.text("description", required=True),
        category=r.choice("category", [c.code for c in policy.categories]),
        customer_ref=r.text("customer_ref"),
        materials_complete=r.flag("materials_complete"),
        is_major=r.flag("is_major"),
        regulator=_regulator(r, channel, today),
        idempotency_key=key,
    )
    return (None if r.errors else complaint), r.errors


def parse_new_complaint(
    raw: Mapping[str, Any] | NewComplaint, policy: ComplaintPolicy, today: date
) -> NewComplaint:
    data: Mapping[str, Any] = msgspec.to_builtins(raw) if isinstance(raw, NewComplaint) else raw
    complaint, errors = check_new_complaint(data, policy, today)
    if errors:
        raise FieldErrors(errors)
    assert complaint is not None
    return complaint


# --- the staff forms' values (read through kefu.core.forms) ----------------------------------


def form_values(form: Form) -> dict[str, str]:
    """The posted text fields, trimmed; FieldErrors naming any field the gate found unreadable
    (a NUL, which PostgreSQL cannot store and no browser sends)."""
    for name in sorted(form.invalid):
        form.text(name, max_length=MAX_TEXT, required=False)
    form.check()
    return {k: v.strip() for k, v in form.data.items() if not k.startswith("_")}


def nested(data: Mapping[str, str]) -> dict[str, Any]:
    """`complainant.name=…` -> {"complainant": {"name": …}}: the API's shape, which the
    register service and its field names (`complainant.email`) use."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        head, _, tail = key.partition(".")
        if not tail:
            if not isinstance(out.get(key), dict):
                out[key] = value
            continue
        if not isinstance(out.get(head), dict):
            out[head] = {}
        out[head][tail] = value
    return out


def optional_day(data: Mapping[str, str], field: str) -> date | None:
    value = data.get(field, "").strip()
    if not value:
        return None
    day = parse_day(value)
    if day is None:
        raise FieldError(field, "Enter a date as YYYY-MM-DD.")
    return day


def chosen_id(data: Mapping[str, str], field: str) -> int:
    """An id picked from a list (a handler, the complaint to merge into)."""
    value = parse_int(data.get(field, ""))
    if value is None or not 0 < value < 2**31:
        raise FieldError(field, "Choose one of the listed values.")
    return value
