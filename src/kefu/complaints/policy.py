"""The tenant's complaint policy.

Deadlines (this block is self-contained and pure: no I/O, no clock): each statutory period is a
PeriodRule; compute_deadlines turns a complaint's dates into the due dates of the notices owed.
"""

from __future__ import annotations

from datetime import date
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


class ComplaintPolicy(msgspec.Struct):
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
