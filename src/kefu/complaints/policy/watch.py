"""Which deadlines of a complaint are pending, and when each is reminded (pure).

Every pending deadline is watched in every open state: the art. 12 materials notice, the
art. 16 acceptance notice, the decision (2020 rules art. 19) and the regulator's report
(A art. 13). While the decision clock is paused for an appraisal, the pause itself is watched
instead of the decision: its handler is reminded to resume.

A deadline is reminded `lead` working days before it ("before"), on the day ("on_day"), then
escalated on each working day after it ("overdue") until it is done. The complaint row keeps
the nearest pending due date (`next_due`, which the worklist sorts by) and the next day any of
its deadlines reminds (`next_remind_on`, which the sweep reads).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

import msgspec

from kefu.complaints.policy.deadlines import Deadlines
from kefu.core.workdays import WorkCalendar

WATCH_KINDS = (
    "materials_notice", "acceptance_notice", "decision", "regulator_report", "appraisal_pause",
)
Stage = Literal["before", "on_day", "overdue", "resume"]
# The statuses in which each notice is still owed; a notice sent moves the complaint out of them.
_MATERIALS = frozenset({"registered"})
_ACCEPTANCE = frozenset({"registered", "materials_incomplete", "under_review"})
_DECISION = _ACCEPTANCE | {"accepted", "investigating"}
# A art. 13: the report is owed whatever became of the complaint, except once merged into another.
_NO_REPORT = frozenset({"merged"})


class Watched(msgspec.Struct, frozen=True, order=True):
    due: date
    kind: str  # a WATCH_KINDS value


class Reminder(msgspec.Struct, frozen=True):
    kind: str
    due: date
    stage: str  # a Stage
    day: date  # what makes it unique: the day of a before/on-day reminder, the sweep's day else


class WatchFacts(msgspec.Struct, frozen=True):
    """The columns of a complaint the watch reads."""

    status: str
    deadlines: Deadlines
    paused_since: date | None = None
    regulator_report_due: date | None = None
    regulator_report_sent_on: date | None = None

    @classmethod
    def of(cls, c: Any, deadlines: Deadlines | None = None) -> WatchFacts:
        """From a complaint row (or any object with its columns); `deadlines` as just computed,
        else the row's stored ones."""
        d = deadlines or Deadlines(c.materials_notice_due, c.acceptance_notice_due,
                                   c.decision_due, bool(c.deadlines_provisional))
        return cls(c.status, d, c.paused_since, c.regulator_report_due, c.regulator_report_sent_on)


# The statuses in which each deadline is pending (the compliance report counts them too).
PENDING_IN: dict[str, frozenset[str]] = {
    "materials_notice": _MATERIALS, "acceptance_notice": _ACCEPTANCE, "decision": _DECISION,
}


def _statutory(f: WatchFacts) -> list[Watched]:
    """The pending statutory deadlines, the decision's even while paused."""
    d = f.deadlines
    dues = {"materials_notice": d.materials_notice_due,
            "acceptance_notice": d.acceptance_notice_due, "decision": d.decision_due}
    found = [Watched(due, kind) for kind, due in dues.items() if due and f.status in PENDING_IN[kind]]
    report_owed = f.regulator_report_due and f.regulator_report_sent_on is None
    if report_owed and f.status not in _NO_REPORT:
        assert f.regulator_report_due is not None
        found.append(Watched(f.regulator_report_due, "regulator_report"))
    return found


def watched_deadlines(
    f: WatchFacts, calendar: WorkCalendar, pause_remind_every: int
) -> list[Watched]:
    """Each pending deadline, nearest first. A paused decision is replaced by the pause, due
    `pause_remind_every` working days after it started."""
    found = _statutory(f)
    if f.paused_since is not None and any(w.kind == "decision" for w in found):
        check = calendar.add_working_days(f.paused_since, max(pause_remind_every, 1)).date
        found = [w for w in found if w.kind != "decision"] + [Watched(check, "appraisal_pause")]
    return sorted(found)


def pending_deadlines(f: WatchFacts) -> list[tuple[str, date | None, bool]]:
    """(kind, due date, still pending) for the complaint page: the statutory deadlines, and the
    regulator's report where one is asked for; a paused decision is not pending."""
    pending = {w.kind for w in _statutory(f)}
    if f.paused_since is not None:
        pending.discard("decision")
    d = f.deadlines
    rows: list[tuple[str, date | None, bool]] = [
        ("materials_notice", d.materials_notice_due, "materials_notice" in pending),
        ("acceptance_notice", d.acceptance_notice_due, "acceptance_notice" in pending),
        ("decision", d.decision_due, "decision" in pending),
    ]
    if f.regulator_report_due is not None:
        rows.append(("regulator_report", f.regulator_report_due, "regulator_report" in pending))
    return rows


def first_reminder_day(w: Watched, lead: int, calendar: WorkCalendar) -> date:
    """The first day `w` is reminded: `lead` working days before it (a pause: on its day)."""
    if w.kind == "appraisal_pause":
        return w.due
    return min(calendar.working_days_before(w.due, max(lead, 0)).date, w.due)


def reminder_on(w: Watched, today: date, lead: int, calendar: WorkCalendar) -> Reminder | None:
    """The reminder `w` owes on `today`, if any. A sweep that comes late sends only the current
    stage; escalation and the pause's reminder go out on working days only."""
    if today < first_reminder_day(w, lead, calendar):
        return None
    if w.kind == "appraisal_pause":
        if today > w.due and not calendar.is_workday(today).workday:
            return None
        return Reminder(w.kind, w.due, "resume", today)
    if today < w.due:
        return Reminder(w.kind, w.due, "before", first_reminder_day(w, lead, calendar))
    if today == w.due:
        return Reminder(w.kind, w.due, "on_day", w.due)
    if not calendar.is_workday(today).workday:
        return None
    return Reminder(w.kind, w.due, "overdue", today)


def next_reminder_after(
    w: Watched, today: date, lead: int, calendar: WorkCalendar, pause_remind_every: int = 5
) -> date:
    """The next day after `today` on which `w` reminds (until it is done, there always is one)."""
    first = first_reminder_day(w, lead, calendar)
    if today < first:
        return first
    if w.kind == "appraisal_pause":
        return calendar.add_working_days(today, max(pause_remind_every, 1)).date
    if today < w.due:
        return w.due
    return calendar.next_workday_after(today)


def next_remind_on(
    watched: Iterable[Watched], lead: int, calendar: WorkCalendar
) -> date | None:
    """The first reminder day of any watched deadline (may be past: the next sweep sends what
    is owed then, and a reminder already sent is not sent again)."""
    days = [first_reminder_day(w, lead, calendar) for w in watched]
    return min(days) if days else None


def recipients_for(stage: str) -> Literal["owner", "escalate"]:
    """Before and on the day the owner is reminded; overdue, the reviewers and the positions
    the pack names as senior hear of it too, each working day until it is done."""
    return "escalate" if stage == "overdue" else "owner"
