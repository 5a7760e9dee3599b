"""What may be done to one complaint now, and why not: the one answer the complaint's page
(which buttons) and the services (which refusal) both take from here.

An action is refused for a stable code with the msgid the page shows (kefu.core.errors.Refused
carries both); nobody matches English text to find out why. Permissions are the page's half of
the answer: the services check them with the member's context (403), not as a refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import msgspec

from kefu import i18n
from kefu.complaints.policy.deadlines import ComplaintPolicy
from kefu.complaints.policy.transitions import allowed


class Action(msgspec.Struct, frozen=True):
    transition: str | None  # a TRANSITIONS key; None: not a status change
    permission: str


# name -> the route `complaints.<name>`, the transition it makes and who may make it.
ACTIONS: dict[str, Action] = {
    "request_materials": Action("request_materials", "complaints.register"),
    "complete_materials": Action("complete_materials", "complaints.register"),
    "accept": Action("accept", "complaints.review"),
    "not_accept": Action("not_accept", "complaints.review"),
    "transfer_internal": Action("transfer_internal", "complaints.review"),
    "transfer_out": Action("transfer_out", "complaints.review"),
    "merge": Action("merge", "complaints.review"),
    "assign": Action("assign", "complaints.review"),
    "decide": Action("decide", "complaints.handle"),
    "extend": Action("extend", "complaints.approve_extension"),
    # An agent (or the handler) asks; a holder of approve_extension grants what was asked.
    "request_extension": Action("request_extension", "complaints.register"),
    "approve_extension": Action("extend", "complaints.approve_extension"),
    # A art. 15(1): the agent's written authorisation, recorded when it arrives.
    "authorisation": Action("record_authorisation", "complaints.register"),
    "pause": Action("pause", "complaints.handle"),
    "resume": Action("resume", "complaints.handle"),
    "withdraw": Action("withdraw", "complaints.register"),
    "close": Action("close", "complaints.handle"),
    "major": Action("mark_major", "complaints.review"),
    "regulator_report": Action("report_to_regulator", "complaints.handle"),
    "note": Action(None, "complaints.view"),
    "upload": Action(None, "complaints.register"),
}

# code -> what staff read (a msgid, translated where it is shown).
REFUSALS: dict[str, str] = {
    "state": i18n.lazy("This action is not possible in the complaint's current state."),
    "no_further_extension": i18n.lazy("The policy allows no further extension."),
    "period_ended": i18n.lazy("The decision period has already ended."),
    "pause_not_allowed": i18n.lazy("The policy does not allow appraisal pauses."),
    "already_paused": i18n.lazy("The decision clock is already paused."),
    "not_paused": i18n.lazy("The decision clock is not paused."),
    "major_report_missing": i18n.lazy("A major complaint needs its written report before closing."),
    "not_regulator_transfer": i18n.lazy("Only a complaint passed on from outside owes a written report."),
    "merge_into_itself": i18n.lazy("A complaint cannot be merged into itself."),
    "authorisation_missing": i18n.lazy(
        "A complaint made through an agent cannot be accepted until the agent's written "
        "authorisation is recorded (A art. 15(1))."),
    "senior_approval_needed": i18n.lazy(
        "A further extension needs the approval of a senior manager."),
    "extension_requested": i18n.lazy("An extension has already been requested."),
    "no_extension_request": i18n.lazy("No extension has been requested."),
    "merge_not_later": i18n.lazy("Only a later complaint can be merged into an earlier one."),
    "merge_after_period": i18n.lazy(
        "The later complaint came after the earlier one's handling period ended."),
    "not_an_agent": i18n.lazy("This complaint was made by the consumer, not through an agent."),
}


class Refusal(msgspec.Struct, frozen=True):
    code: str  # a REFUSALS key
    message: str  # its msgid


def _refused(code: str) -> Refusal:
    return Refusal(code, REFUSALS[code])


class ComplaintRow(Protocol):
    """The complaint's columns the rules read (a Complaint row has them all). Read-only, so a
    nullable date column whose row type is `date` still fits."""

    @property
    def status(self) -> str: ...

    @property
    def channel(self) -> str: ...

    @property
    def paused_since(self) -> date | None: ...

    @property
    def extensions_granted(self) -> int: ...

    @property
    def decision_due(self) -> date | None: ...

    @property
    def is_major(self) -> bool: ...

    @property
    def handler(self) -> int | None: ...

    @property
    def complainant_relation(self) -> str: ...

    @property
    def authorisation_doc(self) -> bool: ...


class ComplaintFacts(msgspec.Struct, frozen=True):
    """What the rules need to know of one complaint and the member looking at it."""

    status: str
    channel: str = ""
    paused: bool = False
    extensions_granted: int = 0
    decision_due: date | None = None
    is_major: bool = False
    major_report_filed: bool = False  # B.k: the written report on a major complaint is filed
    is_handler: bool = False  # the member is the complaint's handler
    open_repeat: bool = False  # an earlier open complaint this one repeats was found
    by_agent: bool = False  # A art. 15(1): made through an agent ...
    authorised: bool = False  # ... whose written authorisation is recorded
    is_senior: bool = False  # the member holds one of the pack's senior positions
    extension_requested: bool = False  # an extension request waits for approval

    @classmethod
    def of(cls, c: ComplaintRow, *, user_id: int | None = None, major_report_filed: bool = False,
           open_repeat: bool = False, is_senior: bool = False,
           extension_requested: bool = False) -> ComplaintFacts:
        return cls(
            status=c.status, channel=c.channel, paused=c.paused_since is not None,
            extensions_granted=c.extensions_granted, decision_due=c.decision_due,
            is_major=bool(c.is_major), major_report_filed=major_report_filed,
            is_handler=user_id is not None and c.handler == user_id, open_repeat=open_repeat,
            by_agent=c.complainant_relation == "agent", authorised=bool(c.authorisation_doc),
            is_senior=is_senior, extension_requested=extension_requested,
        )


def transition_refusal(status: str, transition: str) -> Refusal | None:
    """The status check alone (for a transition no page offers, e.g. `merge_into`)."""
    return None if allowed(status, transition) else _refused("state")


def _extension(name: str, f: ComplaintFacts, policy: ComplaintPolicy, today: date) -> str | None:
    """2020 rules art. 19: extensions while the decision clock runs, up to the policy's cap;
    the second and later ones only by a senior manager."""
    if f.extensions_granted >= extension_cap(policy):
        return "no_further_extension"
    if f.decision_due is not None and today > f.decision_due:
        return "period_ended"
    if name == "request_extension":
        return "extension_requested" if f.extension_requested else None
    if name == "approve_extension" and not f.extension_requested:
        return "no_extension_request"
    return "senior_approval_needed" if f.extensions_granted >= 1 and not f.is_senior else None


def _condition(name: str, f: ComplaintFacts, policy: ComplaintPolicy, today: date) -> str | None:
    """Conditions beyond the status, each with its code."""
    if name == "pause":
        if not policy.appraisal_pause_allowed:
            return "pause_not_allowed"
        if f.paused:
            return "already_paused"
        return "period_ended" if f.decision_due is not None and today > f.decision_due else None
    if name == "resume":
        return None if f.paused else "not_paused"
    if name in ("extend", "request_extension", "approve_extension"):
        return _extension(name, f, policy, today)
    if name == "accept" and f.by_agent and not f.authorised:
        return "authorisation_missing"  # A art. 15(1)
    if name == "authorisation":
        return None if f.by_agent else "not_an_agent"
    if name == "close":
        missing = f.is_major and policy.major_report_required and not f.major_report_filed
        return "major_report_missing" if missing else None
    if name == "regulator_report":
        return None if f.channel == "regulator" else "not_regulator_transfer"
    return None


def refusal(name: str, facts: ComplaintFacts, policy: ComplaintPolicy, today: date) -> Refusal | None:
    """Why action `name` (an ACTIONS key) cannot be taken now; None when it can."""
    transition = ACTIONS[name].transition
    if transition is not None and not allowed(facts.status, transition):
        return _refused("state")
    code = _condition(name, facts, policy, today)
    return _refused(code) if code else None


def may_decide(is_handler: bool, permissions: frozenset[str]) -> bool:
    """Only the complaint's handler, or a reviewer, records its decision."""
    return is_handler or "complaints.review" in permissions


class Allowed(msgspec.Struct, frozen=True):
    actions: frozenset[str]  # what the member may do now (the page's buttons)
    refused: dict[str, Refusal]  # what the member may do in general but not now, and why

    def __contains__(self, name: str) -> bool:
        return name in self.actions


def allowed_actions(
    facts: ComplaintFacts, policy: ComplaintPolicy, permissions: frozenset[str], today: date
) -> Allowed:
    """The actions the member holding `permissions` may take on the complaint today."""
    found: set[str] = set()
    refused: dict[str, Refusal] = {}
    for name, action in ACTIONS.items():
        if action.permission not in permissions:
            continue
        if name == "decide" and not may_decide(facts.is_handler, permissions):
            continue
        if name == "merge" and not facts.open_repeat:
            continue  # nothing found to merge it into
        why = refusal(name, facts, policy, today)
        if why is None:
            found.add(name)
        else:
            refused[name] = why
    return Allowed(frozenset(found), refused)


def extension_cap(policy: ComplaintPolicy) -> int:
    """How many extensions the policy allows in all."""
    return min(policy.max_extensions, len(policy.extension_steps))


def next_extension_days(policy: ComplaintPolicy, extensions_granted: int) -> int:
    """The days the next extension adds to the decision period (0 when none is left)."""
    steps = policy.extension_steps
    return steps[extensions_granted] if extensions_granted < len(steps) else 0
