"""Deadlines (pure): each statutory period is a PeriodRule; compute_deadlines turns a complaint's
dates into the due dates of the notices owed; the deadline the reminder sweep watches and when it
reminds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import msgspec

from kefu.complaints.policy.transitions import GROUNDS, Ground
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


class Remedy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    label: str
    label_en: str


# The keys of ComplaintPolicy.wording; "%(day)s" in a value is filled in where it is shown.
WORDING_KEYS = (
    "regulator_transfer", "regulator_unit", "regulator_report", "regulator_report_sent",
    "regulator_report_sent_on", "regulator_report_sent_day", "regulator_register",
    "regulator_register_intro", "regulator_register_empty", "governance_intro",
    "governance_filed", "governance_filed_on", "governance_filed_day", "governance_not_filed",
    "customer_ref", "customer_ref_optional",
)

DEFAULT_CHANNELS = (
    Category("hotline", "电话热线", "Phone hotline"), Category("fax", "传真", "Fax"),
    Category("letter", "信函", "Letter"), Category("in_person", "现场", "In person"),
    Category("email", "电子邮件", "Email"), Category("online", "网上", "Online form"),
    Category("regulator", "监管转办", "Transfer from a regulator"),
)
DEFAULT_RELATIONS = (
    Category("consumer", "消费者本人", "The consumer"),
    Category("agent", "消费者的受托人", "An agent of the consumer"),
)


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
    # The sweep reminds the owner this many working days before a deadline, and on the day;
    # overdue, it escalates each working day until the deadline is met (policy.watch).
    reminder_days_before: int = 2
    # Overdue deadlines escalate to the reviewers and to members of these positions (2020 rules:
    # a higher-level institution's or head office's senior manager); the second extension
    # needs one of them too.
    senior_positions: list[str] = msgspec.field(default_factory=list)
    # While the decision clock is paused for an appraisal, the handler is reminded to resume
    # every this many working days.
    pause_remind_every: int = 5
    categories: list[Category] = msgspec.field(
        default_factory=lambda: [Category("other", "其他", "Other")]
    )
    # A art. 11, 13: how complaints arrive, in the pack's words; codes from transitions.CHANNELS
    # ("regulator": a case passed on from outside that owes a written report — a regulator's
    # transfer for an insurer, the 12345 government hotline's for a property centre).
    channels: list[Category] = msgspec.field(default_factory=lambda: list(DEFAULT_CHANNELS))
    # A art. 15(1): who may complain (capacities), codes from transitions.RELATIONS.
    relations: list[Category] = msgspec.field(default_factory=lambda: list(DEFAULT_RELATIONS))
    # 2020 rules: a decision tells the complainant where to turn if they disagree (review where
    # the company offers one, mediation, arbitration, litigation), in the pack's wording, which a
    # tenant may replace in its settings.
    decision_remedies: list[Remedy] = msgspec.field(default_factory=list)
    # A art. 14-15: the grounds on which a complaint is not accepted, in the pack's words (a
    # property centre is not under insurance law); `repeat_grounds` names the ground that
    # applies to a repeat of an open ("open") or decided ("decided") complaint without new facts.
    grounds: list[Ground] = msgspec.field(default_factory=lambda: list(GROUNDS.values()))
    repeat_grounds: dict[str, str] = msgspec.field(
        default_factory=lambda: {"open": "a15_2", "decided": "a15_3"})
    # Positions whose members may be given complaints to handle besides the holders of
    # complaints.handle (the insurer's agents investigate; a reviewer decides).
    handler_positions: list[str] = msgspec.field(default_factory=list)
    # Words that differ by kind (WORDING_KEYS: who a "regulator" case comes from and what it is
    # owed, where the art. 19 rules are filed, what the customer reference is): an insurer's
    # regulator is a property centre's 12345 hotline. A key the pack leaves out reads as the
    # product's default (insurance) words; the packs give every key.
    wording: dict[str, Remedy] = msgspec.field(default_factory=dict)

    def ground(self, code: str) -> Ground | None:
        return next((g for g in self.grounds if g.code == code), None)


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


def paused_length(rule: PeriodRule, calendar: WorkCalendar, since: date, until: date) -> int:
    """The days an appraisal pause from `since` to `until` adds to a period, in the period's unit:
    the working days it covered for a period in working days, else the calendar days."""
    if rule.unit != "working":
        return max((until - since).days, 0)
    days, d = 0, since
    while d < until:
        d += timedelta(days=1)
        days += calendar.is_workday(d).workday
    return days


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


# The statutory deadlines the complaint page lists (policy.watch adds the regulator's report).
DEADLINE_KINDS = ("materials_notice", "acceptance_notice", "decision")


def format_number(prefix: str, year: int, value: int) -> str:
    return f"{prefix}{year}-{value:06d}"
