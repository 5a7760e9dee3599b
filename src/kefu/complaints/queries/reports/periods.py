"""Report periods (A art. 20: "for any period"): month, quarter, half-year or chosen dates, as
days of the tenant's calendar, with the period before each. Pure: the caller passes `today`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kefu import i18n
from kefu.core.forms import parse_int

PERIOD_KINDS = ("month", "quarter", "half", "custom")
MAX_CUSTOM_DAYS = 3 * 366
YEARS = (2000, 2100)

E_YEAR = i18n.lazy("Enter a year between 2000 and 2100.")
E_CHOICE = i18n.lazy("Choose one of the listed values.")
E_DATE = i18n.lazy("Enter a date as YYYY-MM-DD.")
E_ORDER = i18n.lazy("The end date cannot be before the start date.")
E_SPAN = i18n.lazy("Choose a period of at most three years.")


@dataclass(frozen=True)
class Period:
    kind: str  # PERIOD_KINDS
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before, of equal length: the previous calendar month, quarter or half;
        for a custom range, as many days immediately before it."""
        if self.kind == "custom":
            end = self.start - timedelta(days=1)
            return Period("custom", end - timedelta(days=self.days - 1), end)
        return calendar_period(self.kind, self.start - timedelta(days=1))


def period_key(period: Period) -> str:
    """The period's short name, as an issued report keeps it: "2026-03", "2026Q1", "2026H1",
    or "2026-01-05~2026-02-20" for chosen dates."""
    if period.kind == "month":
        return period.start.isoformat()[:7]
    if period.kind == "quarter":
        return f"{period.start.year}Q{(period.start.month - 1) // 3 + 1}"
    if period.kind == "half":
        return f"{period.start.year}H{1 if period.start.month <= 6 else 2}"
    return f"{period.start.isoformat()}~{period.end.isoformat()}"


def period_values(period: Period) -> dict[str, str]:
    """The picker's values that ask for `period` (parse_period reads them back)."""
    if period.kind == "custom":
        return {"period": "custom", "from": period.start.isoformat(), "to": period.end.isoformat()}
    number = (period.start.month - 1) // _months(period.kind) + 1
    return {"period": period.kind, "year": str(period.start.year), period.kind: str(number)}


def _months(kind: str) -> int:
    return {"month": 1, "quarter": 3, "half": 6}[kind]


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def calendar_period(kind: str, day: date) -> Period:
    """The month, quarter or half-year that contains `day`."""
    size = _months(kind)
    first = (day.month - 1) // size * size + 1
    return Period(kind, date(day.year, first, 1), _month_end(day.year, first + size - 1))


def numbered_period(kind: str, year: int, number: int) -> Period:
    """Month 1-12, quarter 1-4 or half 1-2 of `year`."""
    return calendar_period(kind, date(year, (number - 1) * _months(kind) + 1, 1))


@dataclass
class PeriodChoice:
    """What the picker asked for: the period, the form's values to show again, the errors
    (field -> msgid, translated where shown)."""

    period: Period
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def _defaults(today: date) -> dict[str, str]:
    return {
        "period": "month", "year": str(today.year), "month": str(today.month),
        "quarter": str((today.month - 1) // 3 + 1), "half": "1" if today.month <= 6 else "2",
        "from": today.replace(day=1).isoformat(), "to": today.isoformat(),
    }


def _int(values: dict[str, str], errors: dict[str, str], name: str, low: int, high: int, msg: str) -> int:
    found = parse_int(values[name])  # ASCII digits only: "２０２６" is not a year
    number = low - 1 if found is None else found
    if not low <= number <= high:
        errors[name] = msg
        return low
    return number


def _day(values: dict[str, str], errors: dict[str, str], name: str) -> date | None:
    try:
        return date.fromisoformat(values[name])
    except ValueError:
        errors[name] = E_DATE
        return None


def parse_period(params: Mapping[str, Any], today: date) -> PeriodChoice:
    """The picker's query: `period` (month | quarter | half | custom), `year` with `month`,
    `quarter` or `half`, or `from` and `to` (YYYY-MM-DD). Missing values default to the
    period containing `today`; on errors the period is the current month."""
    values = _defaults(today)
    for name in values:
        raw = params.get(name)
        if isinstance(raw, str) and raw.strip():
            values[name] = raw.strip()[:20]
    errors: dict[str, str] = {}
    kind = values["period"]
    if kind not in PERIOD_KINDS:
        errors["period"] = E_CHOICE
        kind = "month"
    period = None
    if kind == "custom":
        start, end = _day(values, errors, "from"), _day(values, errors, "to")
        if start and end and end < start:
            errors["to"] = E_ORDER
        elif start and end and (end - start).days + 1 > MAX_CUSTOM_DAYS:
            errors["from"] = E_SPAN
        elif start and end:
            period = Period("custom", start, end)
    else:
        year = _int(values, errors, "year", *YEARS, E_YEAR)
        count = {"month": 12, "quarter": 4, "half": 2}[kind]
        number = _int(values, errors, kind, 1, count, E_CHOICE)
        if not errors:
            period = numbered_period(kind, year, number)
    if errors or period is None:
        return PeriodChoice(calendar_period("month", today), values, errors)
    return PeriodChoice(period, values, errors)


def as_date(value: date | str) -> date:
    """A date from the database (SQLite may hand back ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
