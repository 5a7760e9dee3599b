"""Deadlines (pure): each statutory period is a PeriodRule; compute_deadlines turns a complaint's
dates into the due dates of the notices owed; the deadline the reminder sweep watches and when it
reminds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import msgspec

from kefu.core.workdays import Due, WorkCalendar

# The events a period can run from; compute_deadlines maps each to the complaint's date.
RUNS_FROM = ("received", "materials_complete")


class PeriodRule(msgspec.Struct, frozen=True):
    days: int
    unit: Literal["working", "natural"]
    runs_from: str  # one of RUNS_FROM
    # 民法典 art. 203: a period ending on a 法定休假日 ends on the next working day. Only
    # meaningful for natural days (a working-day period always ends on a working day).
    holiday_ending_rule: bool = True


class Category(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    label: str
    label_en: str


class ComplaintPolicy(msgspec.Struct, forbid_unknown_fields=True):
    # Document A art. 12: incomplete materials -> tell the complainant within 5 working days of
    # receipt what to supply.
    materials_notice: PeriodRule = PeriodRule(5, "working", "received")
    # Document A art. 16: accepted or not, told within 10 working days of complete materials.
    acceptance_notice: PeriodRule = PeriodRule(10, "working", "materials_complete")
    # 《银行业保险业消费投诉处理管理办法》 (2020) art. 19: decide and notify within 15 days of receipt.
    decision: PeriodRule = PeriodRule(15, "natural", "received")
    # Same article: extendable to 30 days in total (+15) with the reason told, then by 30 more
    # with a senior manager's approval. Step i adds extension_steps[i] days to the period.
    extension_steps: list[int] = msgspec.field(default_factory=lambda: [15, 30])
    max_extensions: int = 2
    # Time spent on an external appraisal (鉴定) may pause the decision clock.
    appraisal_pause_allowed: bool = True
    # B.k (property): a major complaint needs a written report to the centre head before closing.
    major_report_required: bool = False
    # Complaint numbers read `<prefix><year>-<000123>`.
    number_prefix: str = "TS"
    # The sweep reminds the handler this many natural days before a deadline, and on the day.
    reminder_days_before: int = 2
    categories: list[Category] = msgspec.field(
        default_factory=lambda: [Category("other", "其他", "Other")]
    )


class Deadlines(msgspec.Struct, frozen=True):
    materials_notice_due: date | None
    acceptance_notice_due: date | None
    decision_due: date | None
    provisional: bool


def _period_end(rule: PeriodRule, calendar: WorkCalendar, start: date, days: int) -> Due:
    if rule.unit == "working":
        return calendar.add_working_days(start, days)
    if rule.unit == "natural":
        return calendar.add_natural_days(start, days, rule.holiday_ending_rule)
    raise ValueError(f"unknown period unit {rule.unit!r}")


def compute_deadlines(
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    *,
    received_on: date,
    materials_complete_on: date | None,
    materials_incomplete: bool,
    extensions_granted: int = 0,
    paused_days: int = 0,
) -> Deadlines:
    """Due dates of the notices a complaint owes; None where none is owed (yet).

    materials_incomplete: the materials were incomplete at receipt, so the art. 12 notice is owed
    (it stays owed after they are completed). The acceptance notice is None until
    materials_complete_on is known. The decision period grows by the first extensions_granted
    extension_steps and by paused_days (time on an external appraisal); these days are added in
    the decision rule's unit before the holiday-ending rule is applied. The cap on extensions
    is enforced when one is granted; here steps beyond the policy's list add nothing.
    """
    if extensions_granted < 0 or paused_days < 0:
        raise ValueError("extensions_granted and paused_days must be >= 0")
    anchors = {"received": received_on, "materials_complete": materials_complete_on}
    provisional = False

    def due(rule: PeriodRule, extra: int = 0) -> date | None:
        nonlocal provisional
        if rule.runs_from not in anchors:
            raise ValueError(f"unknown runs_from {rule.runs_from!r}; expected one of {RUNS_FROM}")
        start = anchors[rule.runs_from]
        if start is None:
            return None
        end = _period_end(rule, calendar, start, rule.days + extra)
        provisional = provisional or end.provisional
        return end.date

    extra = sum(policy.extension_steps[:extensions_granted]) + paused_days
    materials_due = due(policy.materials_notice) if materials_incomplete else None
    acceptance_due = due(policy.acceptance_notice)
    decision_due = due(policy.decision, extra)
    return Deadlines(materials_due, acceptance_due, decision_due, provisional)


def overdue_state(
    due: date | None, today: date, soon_days: int = 2
) -> Literal["none", "ok", "due_soon", "due_today", "overdue"]:
    """The signal shown next to a deadline; soon_days counts natural days before the due day."""
    if due is None:
        return "none"
    if today > due:
        return "overdue"
    if today == due:
        return "due_today"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "ok"


# --- Reminders: which deadline the sweep watches, and when it reminds -----------------------

DEADLINE_KINDS = ("materials_notice", "acceptance_notice", "decision")


def current_deadline(
    status: str, paused: bool, deadlines: Deadlines
) -> tuple[str, date] | None:
    """The nearest deadline the tenant's staff must still act on, given the status.

    The art. 12 notice is pending while the complaint is only registered; the art. 16 notice
    while it is under review; the decision while it is accepted or investigated and not paused.
    """
    pending: list[tuple[date, str]] = []
    if status == "registered" and deadlines.materials_notice_due:
        pending.append((deadlines.materials_notice_due, "materials_notice"))
    if status == "under_review" and deadlines.acceptance_notice_due:
        pending.append((deadlines.acceptance_notice_due, "acceptance_notice"))
    if status in ("under_review", "accepted", "investigating") and not paused:
        if deadlines.decision_due:
            pending.append((deadlines.decision_due, "decision"))
    if not pending:
        return None
    due, kind = min(pending)
    return kind, due


def first_remind_on(due: date, days_before: int) -> date:
    return due - timedelta(days=max(days_before, 0))


def reminder_stage(today: date, due: date) -> Literal["before", "on_day", "overdue"]:
    if today < due:
        return "before"
    return "on_day" if today == due else "overdue"


def next_remind_after(stage: str, due: date) -> date | None:
    """After a stage's reminder: the day of the next one; None once escalated (overdue)."""
    if stage == "before":
        return due
    if stage == "on_day":
        return due + timedelta(days=1)
    return None


def format_number(prefix: str, year: int, value: int) -> str:
    return f"{prefix}{year}-{value:06d}"


def pending_deadlines(
    status: str, paused: bool, dues: dict[str, date | None]
) -> list[tuple[str, date | None, bool]]:
    """(kind, due date, still pending) for each statutory deadline (DEADLINE_KINDS order);
    "pending" asks current_deadline with that deadline alone, so the page and the sweep agree."""
    found = []
    for kind in DEADLINE_KINDS:
        due = dues.get(kind)
        alone = Deadlines(**{f"{k}_due": due if k == kind else None for k in DEADLINE_KINDS},
                          provisional=False)
        found.append((kind, due, due is not None and current_deadline(status, paused, alone) is not None))
    return found
