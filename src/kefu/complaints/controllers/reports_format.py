"""How the report pages and workbooks write periods, rates and changes (the codes' words are
kefu.complaints.labels)."""

from __future__ import annotations

from babel import Locale
from babel.dates import format_skeleton

from kefu import i18n
from kefu.complaints.queries.reports.periods import Period


def period_title(period: Period) -> str:
    locale = Locale.parse(i18n.current_locale())
    if period.kind == "month":
        return format_skeleton("yMMMM", period.start, locale=locale)
    if period.kind == "quarter":
        return format_skeleton("yQQQ", period.start, locale=locale)
    if period.kind == "half":
        msgid = i18n.lazy("First half of %(year)s") if period.start.month == 1 else i18n.lazy(
            "Second half of %(year)s"
        )
        return i18n.gettext(msgid, year=period.start.year)
    return i18n.gettext(
        "%(start)s to %(end)s", start=i18n.fmt_date(period.start), end=i18n.fmt_date(period.end)
    )


def percent(value: float | None, digits: int = 1) -> str:
    """A ratio as a percentage for people (the exports keep the number)."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


def signed(value: float | int | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    if value == 0:
        return "0" + suffix
    text = f"{value:+.1f}" if isinstance(value, float) else f"{value:+d}"
    return text + suffix


