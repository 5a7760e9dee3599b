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
from kefu.complaints.policy import GROUNDS, ComplaintPolicy, overdue_state
from kefu.core.labels import Labels
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
CHANNEL_LABELS = Labels({
    "hotline": _("Phone hotline"), "fax": _("Fax"), "letter": _("Letter"),
    "in_person": _("In person"), "email": _("Email"), "online": _("Online form"),
    "regulator": _("Transfer from a regulator"),
})
RELATION_LABELS = Labels({
    "consumer": _("The consumer"), "agent": _("An agent of the consumer"),
})
DEADLINE_LABELS = Labels({
    "materials_notice": _("Materials notice"), "acceptance_notice": _("Acceptance notice"),
    "decision": _("Decision and its notice"),
})
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
    "complaint.report_to_regulator": _("Report sent to the regulator"),
    "complaint.attachment": _("Material uploaded"),
    "complaint.note": _("Note added"),
    "complaint.major_report": _("Major-complaint report added"),
    "complaint.deadlines_recomputed": _("Deadlines recomputed"),
})
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


def category_labels(policy: ComplaintPolicy) -> Labels:
    """The tenant's categories (pack data, in both languages)."""
    return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in policy.categories})


def ground_label(code: str) -> str:
    """A not-accepted ground with its article: "…（A art. 14(4)）"."""
    found = GROUNDS.get(code)
    if found is None:
        return Labels({})(code)
    words = found.label if i18n.current_locale() == "zh_CN" else found.label_en
    return f"{words} ({found.article})"


def due_label(state: str) -> str:
    """overdue_state's signal in words; "none" (no deadline) says nothing."""
    return "" if state == "none" else DUE_LABELS(state)


def helpers(policy: ComplaintPolicy, today: date) -> dict[str, Any]:
    """What the staff templates call to turn a code into words; each returns plain text."""
    categories = category_labels(policy)

    def due_state(due: date | None) -> str:
        return overdue_state(due, today, policy.reminder_days_before)

    return {
        "tr": i18n.gettext,
        "status_label": STATUS_LABELS, "channel_label": CHANNEL_LABELS,
        "relation_label": RELATION_LABELS, "deadline_label": DEADLINE_LABELS,
        "due_label": due_label, "decision_label": DECISION_LABELS, "audit_label": AUDIT_LABELS,
        "notice_state_label": notice_state_label,
        "notice_channel_label": notice_channel_label,
        "kind_label": kind_label, "category_label": categories, "ground_label": ground_label,
        "due_state": due_state,
        "categories": categories.options(),
        "grounds": [(code, ground_label(code)) for code in GROUNDS],
        "statuses": list(STATUS_LABELS), "channels": list(CHANNEL_LABELS),
        "due_filters": DUE_FILTERS, "today": today,
    }


class ReportLabels:
    """What the report templates and workbooks call to name a code; plain text."""

    def __init__(self, policy: ComplaintPolicy) -> None:
        self.category = category_labels(policy)
        self.channel, self.outcome, self.duty = CHANNEL_LABELS, OUTCOME_LABELS, DUTY_LABELS
        self.governance, self.late_state = GOVERNANCE_LABELS, LATE_STATES
        self.breakdown = BREAKDOWN_TITLES
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
