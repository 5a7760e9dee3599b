"""The statutory notices owed to complainants (A art. 12, 16, 17-18): which notice kinds
discharge each duty, and their compliance - owed, sent on time or late, open, overdue, the
on-time rate, and the late ones. Pure functions over grouped rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu.complaints.policy import PENDING_IN
from kefu.complaints.queries.reports.periods import as_date


@dataclass(frozen=True)
class Duty:
    """A notice the complainant is owed by law, the notice kinds that discharge it, and the
    complaint column holding its due date while no notice has been written yet."""

    code: str
    article: str
    kinds: tuple[str, ...]
    pending_column: str | None


DUTIES = (
    Duty("materials_notice", "A art. 12", ("materials_notice",), "materials_notice_due"),
    # The art. 16 answer: accepted, not accepted (with its reason), transferred, or merged.
    Duty("acceptance_notice", "A art. 16",
         ("acceptance_notice", "rejection_notice", "transfer_notice", "merge_notice"),
         "acceptance_notice_due"),
    Duty("decision_notice", "A art. 17-18", ("decision_notice",), "decision_due"),
    # Due by the old decision date: the complainant hears of an extension before it runs out.
    Duty("extension_notice", "A art. 17-18", ("extension_notice",), None),
)
DUTY_OF_KIND = {kind: duty.code for duty in DUTIES for kind in duty.kinds}
NOTICE_KINDS = tuple(DUTY_OF_KIND)
# While a notice is still to be written: the statuses in which it is owed (policy.PENDING_IN,
# the same the reminder sweep watches).
PENDING_STATUSES = {
    "materials_notice": tuple(sorted(PENDING_IN["materials_notice"])),
    "acceptance_notice": tuple(sorted(PENDING_IN["acceptance_notice"])),
    "decision_notice": tuple(sorted(PENDING_IN["decision"])),
}


@dataclass(frozen=True)
class DutyFigures:
    duty: str
    owed: int
    on_time: int  # sent by the due date
    late: int  # sent after it
    open: int  # not sent, not yet due (or the clock is paused)
    overdue: int  # not sent, past due
    unwritten: int = 0  # of open + overdue: no notice written yet (the complaint still waits)

    @property
    def settled(self) -> int:
        """Notices whose timeliness is known: sent, or past due."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.settled if self.settled else None


def split_pending(rows: Iterable[Mapping[str, Any]], today: date) -> tuple[int, int]:
    """(open, overdue) among complaints still owing a notice, from rows grouped by due date
    (and `paused`: an appraisal stops the decision clock, so a paused one is not overdue)."""
    still_open = overdue = 0
    for row in rows:
        if as_date(row["due"]) < today and not row.get("paused"):
            overdue += int(row["count"])
        else:
            still_open += int(row["count"])
    return still_open, overdue


def duty_figures(
    kind_rows: Iterable[Any], pending: Mapping[str, tuple[int, int]]
) -> list[DutyFigures]:
    """Per duty: its notices' figures (kind_rows: notifications ComplianceRow-like objects per
    notice kind) plus the complaints still owing it with no notice written (pending: duty ->
    (open, overdue))."""
    sums = {d.code: [0, 0, 0, 0, 0] for d in DUTIES}
    for row in kind_rows:
        duty = DUTY_OF_KIND.get(row.kind)
        if duty:
            for i, value in enumerate((row.owed, row.on_time, row.late, row.open, row.overdue)):
                sums[duty][i] += value
    out = []
    for d in DUTIES:
        owed, on_time, late, still_open, overdue = sums[d.code]
        p_open, p_overdue = pending.get(d.code, (0, 0))
        out.append(DutyFigures(
            d.code, owed + p_open + p_overdue, on_time, late, still_open + p_open,
            overdue + p_overdue, p_open + p_overdue,
        ))
    return out


@dataclass(frozen=True)
class RateLine:
    duty: str
    current: DutyFigures
    previous: DutyFigures

    @property
    def change_points(self) -> float | None:
        """The change of the on-time rate, in percentage points."""
        a, b = self.current.on_time_rate, self.previous.on_time_rate
        return round((a - b) * 100, 1) if a is not None and b is not None else None


@dataclass(frozen=True)
class LateItem:
    """A notice sent late, or still unsent after its due date (written or not)."""

    complaint_id: int
    number: str
    duty: str
    kind: str  # the notice kind, or "" while no notice is written
    due_on: date
    sent_on: date | None

    def days_late(self, today: date) -> int:
        return ((self.sent_on or today) - self.due_on).days

    @property
    def state(self) -> str:
        if self.sent_on is not None:
            return "late"
        return "overdue" if self.kind else "unwritten"


def late_items(
    notice_rows: Iterable[Mapping[str, Any]],
    pending_rows: Iterable[Mapping[str, Any]],
    numbers: Mapping[int, str],
) -> list[LateItem]:
    """Late and overdue notices (rows: subject_id, kind, due_on, sent_on) and complaints past a
    due date with no notice written (rows: id, number, duty, due), oldest due date first."""
    items = [
        LateItem(r["subject_id"], numbers.get(r["subject_id"], ""), DUTY_OF_KIND.get(r["kind"], ""),
                 r["kind"], as_date(r["due_on"]), as_date(r["sent_on"]) if r["sent_on"] else None)
        for r in notice_rows
    ]
    items += [LateItem(r["id"], r["number"], r["duty"], "", as_date(r["due"]), None) for r in pending_rows]
    return sorted(items, key=lambda i: (i.due_on, i.number, i.duty))
