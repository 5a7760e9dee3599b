"""Translations from Babel .po catalogs, chosen per request through a ContextVar.

msgids are English; `zh_CN` is the first language and must translate every one (a test
extracts every msgid from src/ and templates/ and checks). The .po files are read directly
at start-up, so there is no compile step to forget.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES = ("zh_CN", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
_current: ContextVar[str] = ContextVar("kefu_locale", default="zh_CN")


def catalog_files(locale: str) -> list[Path]:
    """messages.po, then one file per module (surveys.po, customers.po…), in name order."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    return sorted(folder.glob("*.po"), key=lambda p: (p.name != "messages.po", p.name))


@cache
def catalog(locale: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalog_files(locale):
        with path.open("rb") as fh:
            po = read_po(fh, locale=locale)
        merged.update({m.id: m.string for m in po if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string})
    return merged


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else "zh_CN")


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    token = _current.set(locale if locale in LOCALES else "zh_CN")
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **variables: object) -> str:
    text = catalog(_current.get()).get(message, message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = gettext(singular if n == 1 else plural)
    variables.setdefault("num", n)
    return text % variables


_ = gettext


def lazy(message: str) -> str:
    """Marks a msgid for extraction where it is defined; translate it where it is shown."""
    return message


@cache
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def fmt_date(value: date | datetime | None, tz: str = "Asia/Shanghai") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(tz)).date()
    return format_date(value, format="medium", locale=_babel_locale(_current.get()))


def fmt_datetime(value: datetime | None, tz: str = "Asia/Shanghai") -> str:
    if value is None:
        return ""
    return format_datetime(
        value.astimezone(ZoneInfo(tz)), format="short", locale=_babel_locale(_current.get())
    )


def fmt_number(value: float | int) -> str:
    return format_decimal(value, locale=_babel_locale(_current.get()))
