"""Complaints' codes in words, one table per kind of code (kefu.core.labels), read by the staff
pages, the public pages, the exports and the reports alike.

Every label is an English msgid marked with `i18n.lazy` and translated where it is shown, so
the page follows the reader's language. Pack data (categories, grounds) carries its own Chinese
and English words. An unknown code shows "—", never the raw code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from kefu import i18n
from kefu.complaints.policy import GROUNDS, WORDING_KEYS, ComplaintPolicy, overdue_state
from kefu.core.labels import Labels, declare_audit
from kefu.notifications.queries import channel_label as notice_channel_label
from kefu.notifications.queries import kind_label
from kefu.notifications.queries import state_label as notice_state_label

_ = i18n.lazy
STATUS_LABELS = Labels({
    "registered": _("Registered"), "materials_incomplete": _("Materials incomplete"),
    "under_review": _("Under review"), "accepted": _("Accepted"),
    "investigating": _("Investigating"), "decided": _("Decided"), "closed": _("Closed"),
    "not_accepted": _("Not accepted"), "transferred_internal": _("Transferred internally"),
    "transferred_out": _("Transferred out"), "withdrawn": _("Withdrawn"), "merged": _("Merged"),
})
# What the complainant's status page calls each status (plainer than the staff's words).
PUBLIC_STATUS_LABELS = Labels({
    "registered": _("Received"), "materials_incomplete": _("Waiting for your materials"),
    "under_review": _("Under review"), "accepted": _("Accepted"),
    "investigating": _("Being handled"), "decided": _("Decided"), "closed": _("Closed"),
    "not_accepted": _("Not accepted"),
    "transferred_internal": _("Passed to the responsible department"),
    "transferred_out": _("Passed to the responsible unit"), "withdrawn": _("Withdrawn"),
    "merged": _("Combined with an earlier complaint"),
})
DEADLINES = {
    "materials_notice": _("Materials notice"), "acceptance_notice": _("Acceptance notice"),
    "decision": _("Decision and its notice"),
    "regulator_report": _("Report to the regulator"),
    "appraisal_pause": _("Resume after the appraisal"),
}
DEADLINE_LABELS = Labels(DEADLINES)
DUE_LABELS = Labels({
    "overdue": _("Overdue"), "due_today": _("Due today"), "due_soon": _("Due soon"),
    "ok": _("On track"),
})
DECISION_LABELS = Labels({
    "upheld": _("Upheld"), "partly": _("Partly upheld"), "not_upheld": _("Not upheld"),
})
AUDIT_LABELS = Labels({
    "complaint.register": _("Registered"),
    "complaint.request_materials": _("Materials requested"),
    "complaint.complete_materials": _("Materials complete"),
    "complaint.accept": _("Accepted"),
    "complaint.not_accept": _("Not accepted"),
    "complaint.transfer_internal": _("Transferred internally"),
    "complaint.transfer_out": _("Transferred out"),
    "complaint.merge": _("Merged into another complaint"),
    "complaint.merge_into": _("A repeat was merged in"),
    "complaint.assign": _("Handler assigned"),
    "complaint.extend": _("Extension granted"),
    "complaint.pause": _("Paused for an appraisal"),
    "complaint.resume": _("Resumed after the appraisal"),
    "complaint.decide": _("Decision recorded"),
    "complaint.withdraw": _("Withdrawn"),
    "complaint.close": _("Closed"),
    "complaint.mark_major": _("Major flag changed"),
    "complaint.report_to_regulator": _("Written report sent"),
    "complaint.attachment": _("Material uploaded"),
    "complaint.note": _("Note added"),
    "complaint.major_report": _("Major-complaint report added"),
    "complaint.deadlines_recomputed": _("Deadlines recomputed"),
    "complaints.report_issue": _("Analysis report issued to management"),
})
# The history's words for what an event changed (the audit trail's before/after keys). A key
# not listed here is not shown; ids (handler, repeat_of) show only that they changed.
FIELDS = {
    "status": _("Status"), "channel": _("Channel"), "category": _("Category"),
    "received_on": _("Received on"), "period_start_on": _("Handling period starts"),
    "materials_incomplete": _("Materials incomplete"), "materials_complete_on": _("Materials complete on"),
    "materials_notice_due": _("Materials notice due"), "acceptance_notice_due": _("Acceptance notice due"),
    "decision_due": _("Decision due"), "deadlines_provisional": _("Provisional dates"),
    "provisional": _("Provisional dates"), "deadlines": _("Deadlines"),
    "handler": _("Handler"), "department": _("Department"), "review_ground": _("Ground"),
    "review_reason": _("Reason"), "reason": _("Reason"), "transferred_to": _("Transferred to"),
    "decision": _("Decision"), "remedy": _("Remedy"), "decided_on": _("Decided on"),
    "decision_text": _("Decision text"), "extensions_granted": _("Extensions granted"),
    "paused_days": _("Days paused"), "paused_since": _("Paused since"), "repeat_of": _("Merged into"),
    "is_major": _("Major complaint"), "closed_on": _("Closed on"),
    "regulator_report_sent_on": _("Report sent to the regulator on"), "missing": _("Missing materials"),
    "new_facts": _("New facts"), "subject": _("Subject"), "filename": _("File"),
}
FIELD_LABELS = Labels(FIELDS)
_IDS = frozenset({"handler", "repeat_of"})
YES_NO = {True: _("Yes"), False: _("No")}


def change_value(key: str, value: Any, policy: ComplaintPolicy) -> str:
    """One value of the history's before/after in words: codes through their tables, yes or
    no, dates as written; an id only as "changed"."""
    if value is None or value == "":
        return "—"
    if key in _IDS:
        return i18n.gettext(_("set"))
    if isinstance(value, bool):
        return i18n.gettext(YES_NO[value])
    if isinstance(value, list):
        return ", ".join(change_value(key, v, policy) for v in value)
    tables: dict[str, Callable[[str], str]] = {
        "status": STATUS_LABELS, "channel": channel_labels(policy), "category": category_labels(policy),
        "decision": DECISION_LABELS, "review_ground": lambda code: ground_label(code, policy),
    }
    return tables[key](str(value)) if key in tables else str(value)


# The worklist's due filter: what "soon" means is the policy's reminder window.
DUE_FILTERS = Labels({"overdue": _("Overdue"), "today": _("Due today"), "soon": _("Due soon")})

# The reports' words.
OUTCOME_LABELS = Labels({
    "upheld": _("Upheld"), "partly": _("Partly upheld"), "not_upheld": _("Not upheld"),
    "not_accepted": _("Not accepted"), "transferred_internal": _("Transferred internally"),
    "transferred_out": _("Transferred out"), "withdrawn": _("Withdrawn"), "merged": _("Merged"),
    "open": _("Still being handled"),
})
DUTY_LABELS = Labels({
    "materials_notice": _("Notice to supply materials"),
    "acceptance_notice": _("Notice of acceptance or not"),
    "decision_notice": _("Decision notice"), "extension_notice": _("Extension notice"),
})
GOVERNANCE_LABELS = Labels({
    "complaint_rules": _("Complaint handling rules"), "evaluation_rules": _("Evaluation rules"),
    "accountability_rules": _("Accountability rules"),
    "responsible_persons": _("Responsible persons"),
})
BREAKDOWN_TITLES = Labels({
    "channel": _("By channel"), "category": _("By category"), "outcome": _("By outcome"),
    "department": _("By department"),
})
LATE_STATES = Labels({
    "late": _("Sent late"), "overdue": _("Overdue, not sent"),
    "unwritten": _("Overdue, notice not written yet"),
})
NO_DEPARTMENT = _("No department")
# The product's words for what differs by kind (ComplaintPolicy.wording), read when a policy
# built in code names none; the packs give their own for every key.
WORDING = {
    "regulator_transfer": _("Transferred by a regulator"),
    "regulator_unit": _("Transferring unit"),
    "regulator_report": _("Report to the regulator"),
    "regulator_report_sent": _("Report sent to the regulator"),
    "regulator_report_sent_on": _("Report sent to the regulator on"),
    "regulator_report_sent_day": _("Report sent to the regulator on %(day)s"),
    "regulator_register": _("Regulator transfers"),
    "regulator_register_intro": _("A art. 13: complaints transferred by a regulator, the written report each asked for, when it is due and when it was sent."),
    "regulator_register_empty": _("No complaint has been transferred by a regulator."),
    "governance_intro": _("A art. 19: the complaint rules, evaluation rules, accountability rules and the list of responsible persons, with each change and the day it was filed with the regulator."),
    "governance_filed": _("Filed with the regulator"),
    "governance_filed_on": _("Filed with the regulator on"),
    "governance_filed_day": _("Filed with the regulator on %(day)s"),
    "governance_not_filed": _("Not filed with the regulator yet"),
    "customer_ref": _("Policy number or unit"),
    "customer_ref_optional": _("Policy number or unit number (optional)"),
}
assert set(WORDING) == set(WORDING_KEYS)


def wording(policy: ComplaintPolicy) -> Labels:
    """The words that differ by kind, in the pack's words (an insurer's regulator is a property
    centre's 12345 hotline): `wording("regulator_register")`."""
    return Labels({key: ({"zh_CN": w.label, "en": w.label_en} if (w := policy.wording.get(key)) else msgid)
                   for key, msgid in WORDING.items()})


def deadline_labels(policy: ComplaintPolicy) -> Labels:
    """The deadlines' names, the regulator's report in the pack's words."""
    return Labels({**DEADLINES, "regulator_report": _wording_entry(policy, "regulator_report")})


def field_labels(policy: ComplaintPolicy) -> Labels:
    """The history's field names, the regulator's report in the pack's words."""
    return Labels({**FIELDS,
                   "regulator_report_sent_on": _wording_entry(policy, "regulator_report_sent_on")})


def _wording_entry(policy: ComplaintPolicy, key: str) -> str | dict[str, str]:
    w = policy.wording.get(key)
    return {"zh_CN": w.label, "en": w.label_en} if w else WORDING[key]


def channel_labels(policy: ComplaintPolicy) -> Labels:
    """The tenant's channels, in its pack's words (a property centre's "regulator" channel is
    the 12345 hotline's transfer)."""
    return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in policy.channels})


def relation_labels(policy: ComplaintPolicy) -> Labels:
    """Who may complain (the consumer, their agent), in the pack's words."""
    return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in policy.relations})


def category_labels(policy: ComplaintPolicy) -> Labels:
    """The tenant's categories (pack data, in both languages)."""
    return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in policy.categories})


def ground_label(code: str, policy: ComplaintPolicy | None = None) -> str:
    """A not-accepted ground of the tenant's pack with its article: "…（A art. 14(4)）"."""
    found = policy.ground(code) if policy is not None else GROUNDS.get(code)
    if found is None:
        return Labels({})(code)
    words = found.label if i18n.current_locale() == "zh_CN" else found.label_en
    return f"{words} ({found.article})"


def due_label(state: str) -> str:
    """overdue_state's signal in words; "none" (no deadline) says nothing."""
    return "" if state == "none" else DUE_LABELS(state)


MOVED_SHOWN_DAYS = 14  # how long the worklist marks deadlines a schedule change moved


def helpers(policy: ComplaintPolicy, today: date) -> dict[str, Any]:
    """What the staff templates call to turn a code into words; each returns plain text."""
    categories = category_labels(policy)

    def due_state(due: date | None) -> str:
        return overdue_state(due, today, policy.reminder_days_before)

    def moved_recently(moved_on: date | None) -> bool:
        """A holiday schedule change moved the deadlines within the last MOVED_SHOWN_DAYS."""
        return moved_on is not None and (today - moved_on).days <= MOVED_SHOWN_DAYS

    return {
        "tr": i18n.gettext,
        "status_label": STATUS_LABELS, "channel_label": channel_labels(policy),
        "relation_label": relation_labels(policy), "deadline_label": deadline_labels(policy),
        "wording": wording(policy),
        "due_label": due_label, "decision_label": DECISION_LABELS, "audit_label": AUDIT_LABELS,
        "notice_state_label": notice_state_label,
        "notice_channel_label": notice_channel_label,
        "kind_label": kind_label, "category_label": categories,
        "ground_label": lambda code: ground_label(code, policy),
        "due_state": due_state, "moved_recently": moved_recently,
        "field_label": field_labels(policy), "change_value": lambda key, value: change_value(key, value, policy),
        "categories": categories.options(),
        "grounds": [(g.code, ground_label(g.code, policy)) for g in policy.grounds],
        "statuses": list(STATUS_LABELS), "channels": [c.code for c in policy.channels],
        "relations": relation_labels(policy).options(),
        "due_filters": DUE_FILTERS, "today": today,
    }


class ReportLabels:
    """What the report templates and workbooks call to name a code; plain text."""

    def __init__(self, policy: ComplaintPolicy) -> None:
        self.category = category_labels(policy)
        self.channel, self.outcome, self.duty = channel_labels(policy), OUTCOME_LABELS, DUTY_LABELS
        self.governance, self.late_state = GOVERNANCE_LABELS, LATE_STATES
        self.breakdown = BREAKDOWN_TITLES
        self.words, self.deadline = wording(policy), deadline_labels(policy)
        self.notice_channel = notice_channel_label

    def department(self, code: str) -> str:
        return code or i18n.gettext(NO_DEPARTMENT)

    def notice_kind(self, code: str) -> str:
        return kind_label(code) if code else ""

    def of(self, breakdown: str) -> Callable[[str], str]:
        """The labeller of one breakdown."""
        labellers: dict[str, Callable[[str], str]] = {
            "channel": self.channel, "category": self.category, "outcome": self.outcome,
            "department": self.department,
        }
        return labellers[breakdown]


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(AUDIT_LABELS, {"complaint": _("Complaint"), "contact_info": _("Complaint contact page"),
    "governance_document": _("Complaint rules register"), "complaints": _("Complaint"),
    "complaint_report_issue": _("Issued analysis report")})
