"""Plumbing the staff controllers share: reading a posted form into the service's shape, undoing
a failed service call inside the request's transaction, and the words for a refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request

from kefu import i18n
from kefu.core.errors import FieldError

# Why a transition was refused (the service's detail, in English) -> what staff read.
REFUSALS = {
    "no further extension": i18n.lazy("The policy allows no further extension."),
    "already ended": i18n.lazy("The decision period has already ended."),
    "does not allow appraisal pauses": i18n.lazy("The policy does not allow appraisal pauses."),
    "already paused": i18n.lazy("The decision clock is already paused."),
    "not paused": i18n.lazy("The decision clock is not paused."),
    "written report": i18n.lazy("A major complaint needs its written report before closing."),
    "transferred by a regulator": i18n.lazy("Only a complaint transferred by a regulator."),
    "into itself": i18n.lazy("A complaint cannot be merged into itself."),
}
NOT_NOW = i18n.lazy("This action is not possible in the complaint's current state.")
FORBIDDEN = i18n.lazy("You do not have permission to do this.")


def refusal(detail: str) -> str:
    for needle, message in REFUSALS.items():
        if needle in (detail or ""):
            return i18n.gettext(message)
    return i18n.gettext(NOT_NOW)


INVALID = i18n.lazy("Enter a valid value.")


class Posted(dict):
    """A posted form's text fields, trimmed. PostgreSQL cannot hold NUL in text (and no
    browser sends one): such a value is kept with U+FFFD in its place and its field listed in
    `invalid`, so the page answers 422 naming it instead of failing in the database."""

    invalid: list[str]

    def errors(self) -> dict[str, str]:
        return {field: i18n.gettext(INVALID) for field in self.invalid}

    def check(self) -> None:
        """Raise FieldError for the first field holding a NUL."""
        if self.invalid:
            raise FieldError(self.invalid[0], INVALID)


async def read_form(request: Request) -> Posted:
    raw = await request.form()
    data = Posted()
    data.invalid = []
    for key, value in raw.items():
        if not isinstance(value, str) or key.startswith("_"):
            continue
        if "\x00" in value or "\x00" in key:
            key, value = key.replace("\x00", "\ufffd"), value.replace("\x00", "\ufffd")
            data.invalid.append(key)
        data[key] = value.strip()
    return data


def nested(data: dict[str, str]) -> dict[str, Any]:
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


def optional_day(data: dict[str, str], field: str) -> date | None:
    value = data.get(field, "")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldError(field, "Enter a date as YYYY-MM-DD.") from None


def whole_number(data: dict[str, str], field: str) -> int:
    value = data.get(field, "")
    if not value.isdigit() or len(value) > 12:
        raise FieldError(field, "Choose one of the listed values.")
    return int(value)


