"""Words the staff pages show for codes (status, channel, ground, deadline kind …).

Every label is an English msgid marked with `i18n.lazy` and translated where it is shown, so
the page follows the reader's language. Pack data (categories, grounds) carries its own
Chinese and English labels.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu import i18n
from kefu.complaints.labels import STATUS_LABELS
from kefu.complaints.policy import GROUNDS, ComplaintPolicy, overdue_state
from kefu.notifications.templating import kind_label
from kefu.notifications.views import CHANNEL_LABELS, STATE_LABELS

CHANNEL_NAMES = {
    "hotline": i18n.lazy("Phone hotline"),
    "fax": i18n.lazy("Fax"),
    "letter": i18n.lazy("Letter"),
    "in_person": i18n.lazy("In person"),
    "email": i18n.lazy("Email"),
    "online": i18n.lazy("Online form"),
    "regulator": i18n.lazy("Transfer from a regulator"),
}
RELATION_LABELS = {
    "consumer": i18n.lazy("The consumer"),
    "agent": i18n.lazy("An agent of the consumer"),
}
DEADLINE_LABELS = {
    "materials_notice": i18n.lazy("Materials notice"),
    "acceptance_notice": i18n.lazy("Acceptance notice"),
    "decision": i18n.lazy("Decision and its notice"),
}
DUE_LABELS = {
    "overdue": i18n.lazy("Overdue"),
    "due_today": i18n.lazy("Due today"),
    "due_soon": i18n.lazy("Due soon"),
    "ok": i18n.lazy("On track"),
    "none": "",
}
DECISION_LABELS = {
    "upheld": i18n.lazy("Upheld"),
    "partly": i18n.lazy("Partly upheld"),
    "not_upheld": i18n.lazy("Not upheld"),
}
AUDIT_LABELS = {
    "complaint.register": i18n.lazy("Registered"),
    "complaint.request_materials": i18n.lazy("Materials requested"),
    "complaint.complete_materials": i18n.lazy("Materials complete"),
    "complaint.accept": i18n.lazy("Accepted"),
    "complaint.not_accept": i18n.lazy("Not accepted"),
    "complaint.transfer_internal": i18n.lazy("Transferred internally"),
    "complaint.transfer_out": i18n.lazy("Transferred out"),
    "complaint.merge": i18n.lazy("Merged into another complaint"),
    "complaint.merge_into": i18n.lazy("A repeat was merged in"),
    "complaint.assign": i18n.lazy("Handler assigned"),
    "complaint.extend": i18n.lazy("Extension granted"),
    "complaint.pause": i18n.lazy("Paused for an appraisal"),
    "complaint.resume": i18n.lazy("Resumed after the appraisal"),
    "complaint.decide": i18n.lazy("Decision recorded"),
    "complaint.withdraw": i18n.lazy("Withdrawn"),
    "complaint.close": i18n.lazy("Closed"),
    "complaint.mark_major": i18n.lazy("Major flag changed"),
    "complaint.report_to_regulator": i18n.lazy("Report sent to the regulator"),
    "complaint.attachment": i18n.lazy("Material uploaded"),
    "complaint.note": i18n.lazy("Note added"),
    "complaint.major_report": i18n.lazy("Major-complaint report added"),
    "complaint.deadlines_recomputed": i18n.lazy("Deadlines recomputed"),
}
# The worklist's due filter: what "soon" means is the policy's reminder window.
DUE_FILTERS = {
    "overdue": i18n.lazy("Overdue"),
    "today": i18n.lazy("Due today"),
    "soon": i18n.lazy("Due soon"),
}


def _pick(zh: str, en: str) -> str:
    return zh if i18n.current_locale() == "zh_CN" else en


def helpers(policy: ComplaintPolicy, today: date) -> dict[str, Any]:
    """What the templates call to turn a code into words; each returns plain text."""
    categories = {c.code: c for c in policy.categories}

    def category(code: str) -> str:
        found = categories.get(code)
        return _pick(found.label, found.label_en) if found else code

    def ground(code: str) -> str:
        found = GROUNDS.get(code)
        return f"{_pick(found.label, found.label_en)} ({found.article})" if found else code

    def label(table: dict[str, str], code: str) -> str:
        text = table.get(code)
        return i18n.gettext(text) if text else code

    def due_state(due: date | None) -> str:
        return overdue_state(due, today, policy.reminder_days_before)

    return {
        "tr": i18n.gettext,
        "status_label": lambda s: label(STATUS_LABELS, s),
        "channel_label": lambda s: label(CHANNEL_NAMES, s),
        "relation_label": lambda s: label(RELATION_LABELS, s),
        "deadline_label": lambda s: label(DEADLINE_LABELS, s),
        "due_label": lambda s: label(DUE_LABELS, s),
        "decision_label": lambda s: label(DECISION_LABELS, s),
        "audit_label": lambda s: label(AUDIT_LABELS, s),
        "notice_state_label": lambda s: label(STATE_LABELS, s),
        "notice_channel_label": lambda s: label(CHANNEL_LABELS, s),
        "kind_label": kind_label,
        "category_label": category,
        "ground_label": ground,
        "due_state": due_state,
        "categories": [(c.code, _pick(c.label, c.label_en)) for c in policy.categories],
        "grounds": [(code, ground(code)) for code in GROUNDS],
        "statuses": list(STATUS_LABELS),
        "channels": list(CHANNEL_NAMES),
        "due_filters": DUE_FILTERS,
        "today": today,
    }
