"""The shared input gate for HTML forms: every posted value is read here, checked here, and a
bad one becomes an error keyed by its field, in the user's language.

What is refused, once for every form: a body that is not valid UTF-8 or has too many fields
(400), text with NUL or other control characters (PostgreSQL cannot store NUL; no browser
sends the others), text over its length, numbers written with anything but ASCII digits
("²" passes str.isdigit() and then fails int()), numbers out of their range, dates that
are not YYYY-MM-DD. The checks on a whole request before anything parses it (its size, its
fields, a JSON body's depth, the ids in its path) are kefu.core.request_gate's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.datastructures import FormMultiDict

from kefu import i18n
from kefu.core.errors import BadInput, FieldError, FieldErrors

# The request gate's limits and checks, where their callers have always found them.
from kefu.core.request_gate import MAX_FIELDS as MAX_FIELDS
from kefu.core.request_gate import MAX_FORM_BODY as MAX_FORM_BODY
from kefu.core.request_gate import MAX_ID as MAX_ID
from kefu.core.request_gate import MAX_JSON_DEPTH as MAX_JSON_DEPTH
from kefu.core.request_gate import bounded_path_ids as bounded_path_ids
from kefu.core.request_gate import check_form_body as check_form_body
from kefu.core.request_gate import check_json_body as check_json_body
from kefu.core.request_gate import form_gate_middleware as form_gate_middleware
from kefu.core.request_gate import id_in_range as id_in_range
from kefu.core.request_gate import json_depth_exceeds as json_depth_exceeds

NUL = "\x00"
REPLACEMENT = "\ufffd"
# C0 and C1 controls and DEL; tab, newline and carriage return are allowed in multi-line text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,18}")
_MONEY = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")

INVALID = "Enter a valid value."
REQUIRED = "This field is required."
TOO_LONG = "At most %(max)s characters."
NOT_LISTED = "Choose a value from the list."
NOT_NUMBER = "Enter a whole number."
OUT_OF_RANGE = "Enter a number from %(min)s to %(max)s."
NOT_DAY = "Enter a date as YYYY-MM-DD."
NOT_MONEY = "Enter an amount such as 120.50 (at most two decimals)."
NOT_MOMENT = "Enter a date and time as YYYY-MM-DD HH:MM."


def has_control(value: str, *, multiline: bool = False) -> bool:
    return bool((_CONTROL if multiline else _CONTROL_ONE_LINE).search(value))


def clean_text(value: Any, *, max_length: int, required: bool = False,
               multiline: bool = False) -> tuple[str, str | None]:
    """(the trimmed text, the msgid of what is wrong with it or None)."""
    text = value.strip() if isinstance(value, str) else ""
    if not isinstance(value, str | None):
        return "", INVALID
    if has_control(text, multiline=multiline):
        return _CONTROL.sub(REPLACEMENT, text), INVALID
    if required and not text:
        return text, REQUIRED
    if len(text) > max_length:
        return text, TOO_LONG
    return text, None


def filter_text(value: Any, limit: int) -> str:
    """A list filter's text from the query string. A filter never fails the page: control
    characters empty it, a long one is cut."""
    text, problem = clean_text(value, max_length=limit)
    return "" if problem and problem != TOO_LONG else text[:limit]


def parse_int(value: Any) -> int | None:
    """An integer written with ASCII digits (an optional sign), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _ASCII_INT.fullmatch(value.strip()):
        return int(value.strip())
    return None


def parse_money(value: Any) -> Decimal | None:
    """A non-negative amount in ASCII digits with at most two decimals ("120", "120.5"), as a
    Decimal (never a float), else None."""
    if not isinstance(value, str) or not _MONEY.fullmatch(value.strip()):
        return None
    return Decimal(value.strip())


def parse_day(value: Any) -> date | None:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_moment(value: Any, tz: str) -> datetime | None:
    """A date and time: "YYYY-MM-DDTHH:MM[:SS]" (a space works too) in the time zone `tz`, or
    ISO 8601 with its own offset; None for anything else (ASCII digits only)."""
    text = str(value or "").strip().replace(" ", "T", 1)
    if not 16 <= len(text) <= 32 or not text.isascii() or not text[:4].isdigit():
        return None
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=ZoneInfo(tz))
    return found.astimezone(UTC)


async def read_raw(request: Request[Any, Any, Any]) -> FormMultiDict:
    """`request.form()` (uploads included) for the handlers that need the files or the raw
    multidict: a body that is not UTF-8, cannot be parsed or has too many fields is a 400 here,
    never a UnicodeDecodeError in the handler."""
    try:
        raw = await request.form()
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadInput(detail=i18n.gettext("The form could not be read.")) from exc
    if sum(1 for _ in raw.multi_items()) > MAX_FIELDS:
        raise BadInput(detail=i18n.gettext("The form has too many fields."))
    return raw


class Form:
    """A posted form's values with the errors found so far, keyed by field."""

    def __init__(self, data: Mapping[str, str], lists: Mapping[str, list[str]] | None = None) -> None:
        self.invalid = {k for k, v in data.items() if NUL in v or NUL in k}
        self.data = {k.replace(NUL, REPLACEMENT): v.replace(NUL, REPLACEMENT) for k, v in data.items()}
        self.lists = {k: list(v) for k, v in (lists or {}).items()}
        self.errors: dict[str, str] = {}

    @classmethod
    async def read(cls, request: Request[Any, Any, Any]) -> Form:
        """The request's form; 400 for a body that is not UTF-8 or has too many fields."""
        raw = await read_raw(request)
        items = [(k, v) for k, v in raw.multi_items() if isinstance(v, str)]
        data: dict[str, str] = {}
        lists: dict[str, list[str]] = {}
        for key, value in items:
            data.setdefault(key, value)
            lists.setdefault(key, []).append(value)
        return cls(data, lists)

    def _fail(self, name: str, message: str, **variables: object) -> None:
        self.errors.setdefault(name, i18n.gettext(message, **variables))

    def raw(self, name: str) -> str:
        return self.data.get(name, "")

    def text(self, name: str, *, max_length: int, required: bool = True, multiline: bool = False) -> str:
        value, problem = clean_text(self.data.get(name, ""), max_length=max_length,
                                    required=required, multiline=multiline)
        if name in self.invalid:
            problem = INVALID
        if problem:
            self._fail(name, problem, max=max_length)
        return value

    def integer(self, name: str, *, minimum: int, maximum: int, required: bool = True) -> int | None:
        text = self.data.get(name, "").strip()
        if not text:
            if required:
                self._fail(name, REQUIRED)
            return None
        value = parse_int(text)
        if value is None:
            self._fail(name, NOT_NUMBER)
        elif not minimum <= value <= maximum:
            self._fail(name, OUT_OF_RANGE, min=minimum, max=maximum)
            return None
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        text = self.data.get(name, "").strip()
        if not text:
            if required:
                self._fail(name, REQUIRED)
            return None
        value = parse_day(text)
        if value is None:
            self._fail(name, NOT_DAY)
        return value

    def moment(self, name: str, tz: str, *, required: bool = True) -> datetime | None:
        """A date and time in the tenant's zone `tz` (parse_moment), as aware UTC."""
        text = self.data.get(name, "").strip()
        if not text:
            if required:
                self._fail(name, REQUIRED)
            return None
        value = parse_moment(text, tz)
        if value is None:
            self._fail(name, NOT_MOMENT)
        return value

    def money(self, name: str, *, minimum: Decimal, maximum: Decimal, required: bool = True) -> Decimal | None:
        text = self.data.get(name, "").strip()
        if not text:
            if required:
                self._fail(name, REQUIRED)
            return None
        value = parse_money(text)
        if value is None:
            self._fail(name, NOT_MONEY)
        elif not minimum <= value <= maximum:
            self._fail(name, OUT_OF_RANGE, min=minimum, max=maximum)
            return None
        return value

    def choice(self, name: str, choices: Iterable[str], *, required: bool = True) -> str:
        value = self.data.get(name, "").strip()
        if not value and not required:
            return ""
        if value not in set(choices) or name in self.invalid:
            self._fail(name, NOT_LISTED)
        return value

    def choices(self, name: str, allowed: Iterable[str]) -> list[str]:
        """Every checked box of `name` that is one of `allowed` (others are an error)."""
        options = set(allowed)
        picked = [v.strip() for v in self.lists.get(name, []) if v.strip()]
        if any(v not in options for v in picked):
            self._fail(name, NOT_LISTED)
        return [v for v in picked if v in options]

    def flag(self, name: str) -> bool:
        return self.data.get(name, "") in ("on", "true", "1", "yes")

    def error(self, name: str, message: str) -> None:
        self.errors[name] = message

    @property
    def ok(self) -> bool:
        return not self.errors

    def check(self) -> None:
        """Raise the errors found so far as one FieldErrors (a service-style refusal)."""
        if self.errors:
            raise FieldErrors({k: _Translated(k, v) for k, v in self.errors.items()})


class _Translated(FieldError):
    """A FieldError whose message is already in the user's language."""

    def translated(self) -> str:
        return self.message


def strip_control(value: str, *, multiline: bool = True) -> str:
    """`value` without its control characters (NUL included), for free text that is kept as
    given rather than refused: a survey respondent is not sent back over an invisible character."""
    return (_CONTROL if multiline else _CONTROL_ONE_LINE).sub("", value)
