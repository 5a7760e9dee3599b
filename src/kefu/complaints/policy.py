"""The tenant's complaint policy and the workflow's rules. Pure: no I/O, no clock.

Deadlines: each statutory period is a PeriodRule; compute_deadlines turns a complaint's dates
into the due dates of the notices owed. Below: the state machine (`allowed`, `next_status`),
the not-accepted grounds (A art. 14–15), the deadline the reminder sweep watches, and repeat
detection (A art. 15). The policy files are read by config.py.
"""

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


# --- The workflow (A art. 12–18): statuses and the transitions each action may make ---------

CHANNELS = ("hotline", "fax", "letter", "in_person", "email", "online", "regulator")
RELATIONS = ("consumer", "agent")  # A art. 15(1): the consumer or their authorised agent
DECISIONS = ("upheld", "partly", "not_upheld")
GOVERNANCE_KINDS = (  # A art. 19
    "complaint_rules", "evaluation_rules", "accountability_rules", "responsible_persons",
)
OPEN_STATUSES = (
    "registered", "materials_incomplete", "under_review", "accepted", "investigating", "decided",
)
TERMINAL_STATUSES = (
    "closed", "not_accepted", "transferred_internal", "transferred_out", "withdrawn", "merged",
)
STATUSES = OPEN_STATUSES + TERMINAL_STATUSES
_BEFORE_DECISION = frozenset(OPEN_STATUSES) - {"decided"}
_IN_HANDLING = frozenset({"accepted", "investigating"})
_UNDER_REVIEW = frozenset({"under_review"})

# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "request_materials": (frozenset({"registered"}), "materials_incomplete"),  # art. 12
    "complete_materials": (frozenset({"registered", "materials_incomplete"}), "under_review"),
    "accept": (_UNDER_REVIEW, "accepted"),  # art. 14(1)
    "not_accept": (_UNDER_REVIEW, "not_accepted"),  # art. 14(4), (5); art. 15
    "transfer_internal": (_UNDER_REVIEW, "transferred_internal"),  # art. 14(3)
    "transfer_out": (_UNDER_REVIEW, "transferred_out"),  # art. 14(2)
    # art. 15: a repeat with new facts is merged into the first complaint ...
    "merge": (frozenset({"registered", "materials_incomplete", "under_review"}), "merged"),
    # ... whose handling period restarts from the new materials.
    "merge_into": (_BEFORE_DECISION, None),
    "assign": (_IN_HANDLING, "investigating"),
    "extend": (_IN_HANDLING, None),
    "pause": (frozenset({"investigating"}), None),
    "resume": (frozenset({"investigating"}), None),
    "decide": (frozenset({"investigating"}), "decided"),  # art. 17–18
    "withdraw": (_BEFORE_DECISION, "withdrawn"),
    "close": (frozenset({"decided"}), "closed"),
    "mark_major": (frozenset(OPEN_STATUSES), None),
    # A art. 13: the written report a transferring regulator asked for.
    "report_to_regulator": (frozenset(STATUSES) - {"merged"}, None),
}


def allowed(status: str, action: str) -> bool:
    sources, _ = TRANSITIONS.get(action, (frozenset(), None))
    return status in sources


def next_status(status: str, action: str) -> str:
    """The status after `action`; ValueError if the action is not allowed from `status`."""
    if not allowed(status, action):
        raise ValueError(f"{action!r} is not allowed from {status!r}")
    return TRANSITIONS[action][1] or status


class Ground(msgspec.Struct, frozen=True):
    code: str
    article: str
    label: str
    label_en: str


# A art. 14(5) adds no ground of its own: it refers to the cases of art. 15(1).
GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        Ground("a14_2", "A art. 14(2)", "属于保险消费投诉，但不属于本公司负责处理",
               "A consumer complaint, but not one this company handles"),
        Ground("a14_4", "A art. 14(4)", "不属于保险消费投诉，也不属于公司其他部门负责处理",
               "Not a consumer complaint, and no other department handles it"),
        Ground("a15_1", "A art. 14(5), 15(1)", "投诉不是由保险消费者本人或者其受托人提出",
               "Not filed by the consumer or by an agent they authorised"),
        Ground("a15_2", "A art. 14(5), 15(2)", "已受理，处理期限内无新的事实和理由再次提出同一投诉",
               "Already accepted; filed again within the handling period without new facts"),
        Ground("a15_3", "A art. 14(5), 15(3)", "已作出处理决定，无新的事实和理由再次提出同一投诉",
               "Already decided; filed again without new facts or reasons"),
    )
}
# The grounds recorded with the transfers (not offered as "not accepted" grounds).
TRANSFER_GROUNDS = {"transfer_internal": "a14_3", "transfer_out": "a14_2"}


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


# --- Repeat detection (A art. 15) -----------------------------------------------------------


class Party(msgspec.Struct, frozen=True):
    """What repeat detection compares: who complains, about what."""

    name: str
    phone: str
    email: str
    subject: str
    customer_ref: str


class PriorComplaint(msgspec.Struct, frozen=True):
    id: int
    number: str
    status: str
    party: Party


class RepeatMatch(msgspec.Struct, frozen=True):
    complaint_id: int
    number: str
    kind: Literal["open", "decided"]
    ground: str  # the art. 15 ground that applies if the repeat brings no new facts; "" if none


def _norm_phone(v: str) -> str:
    digits = "".join(c for c in v if c.isdigit())
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def _norm_text(v: str) -> str:
    return "".join(c for c in v.casefold() if c.isalnum())


def same_party(a: Party, b: Party) -> bool:
    """Same complainant (phone, email or name) and same subject (customer ref or subject)."""
    who = any(
        x and x == y
        for x, y in (
            (_norm_phone(a.phone), _norm_phone(b.phone)),
            (a.email.strip().casefold(), b.email.strip().casefold()),
            (_norm_text(a.name), _norm_text(b.name)),
        )
    )
    ref_a, ref_b = _norm_text(a.customer_ref), _norm_text(b.customer_ref)
    what = bool(ref_a and ref_a == ref_b) or bool(
        _norm_text(a.subject) and _norm_text(a.subject) == _norm_text(b.subject)
    )
    return who and what


def find_repeat_matches(party: Party, prior: list[PriorComplaint]) -> list[RepeatMatch]:
    """Earlier complaints the new one repeats (A art. 15).

    An open one is still within its handling period: without new facts the repeat is not
    accepted under art. 15(2) (if it was accepted), with new facts it is merged. A decided or
    closed one falls under art. 15(3). Complaints that ended without a decision are ignored.
    """
    matches: list[RepeatMatch] = []
    for p in prior:
        if not same_party(party, p.party):
            continue
        if p.status in ("decided", "closed"):
            matches.append(RepeatMatch(p.id, p.number, "decided", "a15_3"))
        elif p.status in OPEN_STATUSES:
            ground = "a15_2" if p.status in _IN_HANDLING else ""
            matches.append(RepeatMatch(p.id, p.number, "open", ground))
    return matches
