"""Words for the report pages and exports: codes to labels in the current locale."""

from __future__ import annotations

import unicodedata
from typing import Any

from babel import Locale
from babel.dates import format_skeleton

from kefu import i18n
from kefu.complaints.analysis import Period
from kefu.complaints.policy import ComplaintPolicy
from kefu.notifications.templating import kind_label

# The same msgids as the staff pages (staff_labels), so a channel or outcome reads the same.
CHANNEL_LABELS = {
    "hotline": i18n.lazy("Phone hotline"), "fax": i18n.lazy("Fax"), "letter": i18n.lazy("Letter"),
    "in_person": i18n.lazy("In person"), "email": i18n.lazy("Email"),
    "online": i18n.lazy("Online form"), "regulator": i18n.lazy("Transfer from a regulator"),
}
OUTCOME_LABELS = {
    "upheld": i18n.lazy("Upheld"), "partly": i18n.lazy("Partly upheld"),
    "not_upheld": i18n.lazy("Not upheld"), "not_accepted": i18n.lazy("Not accepted"),
    "transferred_internal": i18n.lazy("Transferred internally"),
    "transferred_out": i18n.lazy("Transferred out"),
    "withdrawn": i18n.lazy("Withdrawn"), "merged": i18n.lazy("Merged"),
    "open": i18n.lazy("Still being handled"),
}
DUTY_LABELS = {
    "materials_notice": i18n.lazy("Notice to supply materials"),
    "acceptance_notice": i18n.lazy("Notice of acceptance or not"),
    "decision_notice": i18n.lazy("Decision notice"),
    "extension_notice": i18n.lazy("Extension notice"),
}
GOVERNANCE_LABELS = {
    "complaint_rules": i18n.lazy("Complaint handling rules"),
    "evaluation_rules": i18n.lazy("Evaluation rules"),
    "accountability_rules": i18n.lazy("Accountability rules"),
    "responsible_persons": i18n.lazy("Responsible persons"),
}
BREAKDOWN_TITLES = {
    "channel": i18n.lazy("By channel"), "category": i18n.lazy("By category"),
    "outcome": i18n.lazy("By outcome"), "department": i18n.lazy("By department"),
}
LATE_STATES = {
    "late": i18n.lazy("Sent late"), "overdue": i18n.lazy("Overdue, not sent"),
    "unwritten": i18n.lazy("Overdue, notice not written yet"),
}
NO_DEPARTMENT = i18n.lazy("No department")


def _get(labels: dict[str, str], code: str) -> str:
    return i18n.gettext(labels[code]) if code in labels else code


def period_title(period: Period) -> str:
    locale = Locale.parse(i18n.current_locale())
    if period.kind == "month":
        return format_skeleton("yMMMM", period.start, locale=locale)
    if period.kind == "quarter":
        return format_skeleton("yQQQ", period.start, locale=locale)
    if period.kind == "half":
        msgid = i18n.lazy("First half of %(year)s") if period.start.month == 1 else i18n.lazy(
            "Second half of %(year)s"
        )
        return i18n.gettext(msgid, year=period.start.year)
    return i18n.gettext(
        "%(start)s to %(end)s", start=i18n.fmt_date(period.start), end=i18n.fmt_date(period.end)
    )


class Labels:
    """What the templates and exports call to name a code; plain text (templates escape it)."""

    def __init__(self, policy: ComplaintPolicy) -> None:
        self.categories = {c.code: (c.label, c.label_en) for c in policy.categories}

    def channel(self, code: str) -> str:
        return _get(CHANNEL_LABELS, code)

    def category(self, code: str) -> str:
        found = self.categories.get(code)
        if not found:
            return code
        return found[0] if i18n.current_locale() == "zh_CN" else found[1]

    def outcome(self, code: str) -> str:
        return _get(OUTCOME_LABELS, code)

    def department(self, code: str) -> str:
        return code or i18n.gettext(NO_DEPARTMENT)

    def duty(self, code: str) -> str:
        return _get(DUTY_LABELS, code)

    def governance(self, code: str) -> str:
        return _get(GOVERNANCE_LABELS, code)

    def notice_kind(self, code: str) -> str:
        return kind_label(code) if code else ""

    def late_state(self, code: str) -> str:
        return _get(LATE_STATES, code)

    def breakdown(self, code: str) -> str:
        return _get(BREAKDOWN_TITLES, code)

    def of(self, breakdown: str):
        """The labeller of one breakdown."""
        return {"channel": self.channel, "category": self.category, "outcome": self.outcome,
                "department": self.department}[breakdown]

    def as_context(self) -> dict[str, Any]:
        return {"labels": self, "period_title": period_title}


def percent(value: float | None, digits: int = 1) -> str:
    """A ratio as a percentage for people (the exports keep the number)."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


def signed(value: float | int | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    if value == 0:
        return "0" + suffix
    text = f"{value:+.1f}" if isinstance(value, float) else f"{value:+d}"
    return text + suffix


def short(text: str, width: int = 24) -> str:
    """`text` cut to about `width` columns (a CJK character takes two), for chart labels."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > width:
            return text[: max(i - 1, 1)] + "…"
    return text
