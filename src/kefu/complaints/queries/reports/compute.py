"""Complaint analysis (A art. 20): pure functions from grouped rows to the report's figures.

No I/O and no clock: the queries in queries/reports/__init__.py fetch GROUP BY rows (one query
per breakdown) and these functions turn them into figures; tests call them with literal rows.
Periods are dates in the tenant's time zone (received_on, due_on and closed_on are local dates).
Periods live in periods.py, the statutory notices in notices.py; both are re-exported here, so
callers need only this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kefu.complaints.policy import DECISIONS, TERMINAL_STATUSES
from kefu.complaints.queries.reports.notices import (  # noqa: F401 - re-exported
    DUTIES,
    DUTY_OF_KIND,
    NOTICE_KINDS,
    PENDING_STATUSES,
    Duty,
    DutyFigures,
    LateItem,
    RateLine,
    duty_figures,
    late_items,
    split_pending,
)
from kefu.complaints.queries.reports.periods import (  # noqa: F401 - re-exported
    MAX_CUSTOM_DAYS,
    PERIOD_KINDS,
    Period,
    PeriodChoice,
    as_date,
    calendar_period,
    numbered_period,
    parse_period,
    period_key,
)
from kefu.core import phones

# --- breakdowns -----------------------------------------------------------------------------

OUTCOMES = (*DECISIONS, "not_accepted", "transferred_internal", "transferred_out", "withdrawn",
            "merged", "open")


def outcome_of(status: str, decision: str) -> str:
    """What came of a complaint: the decision once decided, how it ended otherwise, or open."""
    if status in ("decided", "closed") and decision in DECISIONS:
        return decision
    if status in TERMINAL_STATUSES and status != "closed":
        return status
    return "open"


def counts(rows: Iterable[Mapping[str, Any]], key: str) -> dict[str, int]:
    """GROUP BY rows ({key: value, "count": n}) as {value: n}; None and "" are both ""."""
    out: dict[str, int] = {}
    for row in rows:
        name = row[key] or ""
        out[name] = out.get(name, 0) + int(row["count"])
    return out


def outcome_counts(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Rows grouped by (status, decision) as counts per outcome."""
    out: dict[str, int] = {}
    for row in rows:
        name = outcome_of(row["status"], row["decision"] or "")
        out[name] = out.get(name, 0) + int(row["count"])
    return out


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: this period, the previous one, and the change."""

    code: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def change_ratio(self) -> float | None:
        return self.change / self.previous if self.previous else None


def lines(
    current: Mapping[str, int], previous: Mapping[str, int], order: Sequence[str] = ()
) -> list[Line]:
    """Every code of `order` (zeros included, in that order), then any other code seen in
    either period, most complaints first."""
    rest = sorted(
        (set(current) | set(previous)) - set(order),
        key=lambda c: (-current.get(c, 0), -previous.get(c, 0), c),
    )
    return [Line(c, current.get(c, 0), previous.get(c, 0)) for c in (*order, *rest)]


# --- handling time and repeat complainants ---------------------------------------------------


@dataclass(frozen=True)
class Average:
    complaints: int
    days: float | None  # None when nothing was closed


def average_days(rows: Iterable[Mapping[str, Any]]) -> Average:
    """Mean natural days from receipt to closing, over rows grouped by (received_on,
    closed_on) with their count."""
    total = n = 0
    for row in rows:
        count = int(row["count"])
        total += (as_date(row["closed_on"]) - as_date(row["received_on"])).days * count
        n += count
    return Average(n, round(total / n, 1) if n else None)


def norm_email(value: str) -> str:
    return (value or "").strip().casefold()


@dataclass(frozen=True)
class Repeater:
    name: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    complaints: int


def repeat_complainants(rows: Iterable[Mapping[str, Any]], minimum: int = 2) -> list[Repeater]:
    """Complainants with at least `minimum` complaints, from rows grouped by (phone, email)
    with a name and a count. One person is every row linked by a shared phone or email
    (normalised), so the same phone with two emails counts once. Most complaints first."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    groups = []
    for row in rows:
        keys = [k for k in (f"p:{phones.key(row['phone'])}", f"e:{norm_email(row['email'])}") if k[2:]]
        if not keys:
            continue
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
        groups.append((keys[0], row))
    people: dict[str, dict[str, Any]] = {}
    for key, row in groups:
        person = people.setdefault(find(key), {"names": [], "phones": set(), "emails": set(), "n": 0})
        person["n"] += int(row["count"])
        person["names"].append(row.get("name") or "")
        if phones.key(row["phone"]):
            person["phones"].add(row["phone"])
        if norm_email(row["email"]):
            person["emails"].add(norm_email(row["email"]))
    found = [
        Repeater(min((n for n in p["names"] if n), default=""), tuple(sorted(p["phones"])),
                 tuple(sorted(p["emails"])), p["n"])
        for p in people.values() if p["n"] >= minimum
    ]
    return sorted(found, key=lambda r: (-r.complaints, r.name, r.phones, r.emails))


# --- the whole report -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One period's figures; received counts complaints received in the period."""

    period: Period
    received: int
    channels: dict[str, int]
    categories: dict[str, int]
    outcomes: dict[str, int]
    departments: dict[str, int]
    duties: list[DutyFigures]
    handling: Average
    repeaters: list[Repeater]


@dataclass(frozen=True)
class Analysis:
    current: Figures
    previous: Figures
    channel_order: tuple[str, ...]
    category_order: tuple[str, ...]

    @property
    def received(self) -> Line:
        return Line("received", self.current.received, self.previous.received)

    @property
    def channels(self) -> list[Line]:
        return lines(self.current.channels, self.previous.channels, self.channel_order)

    @property
    def categories(self) -> list[Line]:
        return lines(self.current.categories, self.previous.categories, self.category_order)

    @property
    def outcomes(self) -> list[Line]:
        return lines(self.current.outcomes, self.previous.outcomes, OUTCOMES)

    @property
    def departments(self) -> list[Line]:
        return lines(self.current.departments, self.previous.departments)

    @property
    def rates(self) -> list[RateLine]:
        previous = {d.duty: d for d in self.previous.duties}
        return [RateLine(d.duty, d, previous[d.duty]) for d in self.current.duties]

    @property
    def repeaters(self) -> Line:
        return Line("repeaters", len(self.current.repeaters), len(self.previous.repeaters))

    @property
    def handling_change(self) -> float | None:
        a, b = self.current.handling.days, self.previous.handling.days
        return round(a - b, 1) if a is not None and b is not None else None

    def breakdowns(self) -> list[tuple[str, list[Line]]]:
        return [("channel", self.channels), ("category", self.categories),
                ("outcome", self.outcomes), ("department", self.departments)]


def headline(report: Analysis) -> dict[str, Any]:
    """The report's headline figures as plain JSON, frozen when it is issued to management:
    what they received, whatever changes later (an issued report is never recomputed)."""
    cur, prev = report.current, report.previous
    return {
        "period": {"kind": cur.period.kind, "key": period_key(cur.period),
                   "start": cur.period.start.isoformat(), "end": cur.period.end.isoformat()},
        "received": cur.received, "previous_received": prev.received,
        "closed": cur.handling.complaints, "handling_days": cur.handling.days,
        "previous_handling_days": prev.handling.days,
        "repeaters": len(cur.repeaters), "previous_repeaters": len(prev.repeaters),
        "breakdowns": {name: [[line.code, line.current, line.previous] for line in rows if line.current or line.previous]
                       for name, rows in report.breakdowns()},
        "notices": [{"duty": r.duty, "owed": r.current.owed, "on_time": r.current.on_time, "late": r.current.late,
                     "overdue": r.current.overdue, "open": r.current.open,
                     "on_time_rate": None if r.current.on_time_rate is None else round(r.current.on_time_rate, 4)}
                    for r in report.rates],
    }
