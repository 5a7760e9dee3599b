"""The shared input gate for HTML forms: every posted value is read here, checked here, and a
bad one becomes an error keyed by its field, in the user's language.

What is refused, once for every form: a body that is not valid UTF-8 or has too many fields
(400), text with NUL or other control characters (PostgreSQL cannot store NUL; no browser
sends the others), text over its length, numbers written with anything but ASCII digits
("²" passes str.isdigit() and then fails int()), numbers out of their range, dates that
are not YYYY-MM-DD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

from kefu import i18n
from kefu.core.errors import FieldError, FieldErrors

NUL = "\x00"
REPLACEMENT = "\ufffd"
# A long questionnaire in the template editor posts ~25 fields per question card.
MAX_FIELDS = 5000
# C0 and C1 controls and DEL; tab, newline and carriage return are allowed in multi-line text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,18}")

INVALID = "Enter a valid value."
REQUIRED = "This field is required."
TOO_LONG = "At most %(max)s characters."
NOT_LISTED = "Choose a value from the list."
NOT_NUMBER = "Enter a whole number."
OUT_OF_RANGE = "Enter a number from %(min)s to %(max)s."
NOT_DAY = "Enter a date as YYYY-MM-DD."


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


def parse_int(value: Any) -> int | None:
    """An integer written with ASCII digits (an optional sign), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _ASCII_INT.fullmatch(value.strip()):
        return int(value.strip())
    return None


def parse_day(value: Any) -> date | None:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


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
        try:
            raw = await request.form()
        except (UnicodeDecodeError, ValueError) as exc:
            raise ClientException(detail=i18n.gettext("The form could not be read.")) from exc
        items = [(k, v) for k, v in raw.multi_items() if isinstance(v, str)]
        if len(items) > MAX_FIELDS:
            raise ClientException(detail=i18n.gettext("The form has too many fields."))
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
