"""The public pages' helpers: reading the online form, its double-submit key, and what the
status page tells the complainant."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import date
from typing import Any

from kefu import i18n
from kefu.complaints.labels import PUBLIC_STATUS_LABELS
from kefu.complaints.policy import OPEN_STATUSES
from kefu.complaints.services import PublicStatus

# The form's inputs carry the core's dotted names, so its errors land on the right input.
FIELDS = (
    "complainant.name", "complainant.phone", "complainant.email", "complainant.address",
    "complainant.relation", "complainant.authorisation_doc", "customer_ref", "category",
    "subject", "description",
)
# Hidden from people (off-screen, skipped by Tab, no autofill); bots fill every input.
HONEYPOT = "company_site"
NONCE = "form_nonce"
_NONCE_RE = re.compile(r"^[0-9a-f]{32}$")


def new_nonce() -> str:
    return secrets.token_hex(16)


def read_complaint(form: dict[str, str]) -> dict[str, Any]:
    """The form's fields as the core's nested mapping (`complainant.name` -> complainant/name)."""
    data: dict[str, Any] = {"complainant": {}}
    for name in FIELDS:
        if name in form:
            head, _, tail = name.partition(".")
            if tail:
                data[head][tail] = form[name]
            else:
                data[name] = form[name]
    return data


def idempotency_key(nonce: str, data: dict[str, Any]) -> str | None:
    """One form (its nonce, issued with the page) with the same content is one complaint: a
    double tap or a resubmit after a timeout finds the first. Going back and changing the
    content makes another key, so a second, different complaint is not swallowed. The nonce
    is random and never shown elsewhere, so nobody can aim a key at another person's
    complaint; "pub:" keeps these keys apart from the API's."""
    if not _NONCE_RE.match(nonce or ""):
        return None
    content = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return "pub:" + hashlib.sha256(f"{nonce}|{content}".encode()).hexdigest()[:48]


# status -> (what happens next, the date it names or None)
_NEXT = {
    "registered": i18n.lazy("We are checking your complaint and its materials. If anything is missing, we will tell you what to supply."),
    "materials_incomplete": i18n.lazy("We have told you which materials are missing. Once we receive them, we will tell you whether your complaint is accepted."),
    "under_review": i18n.lazy("We are reviewing your complaint and will tell you whether it is accepted by %(date)s."),
    "accepted": i18n.lazy("Your complaint is being handled. We will tell you our decision by %(date)s."),
    "investigating": i18n.lazy("Your complaint is being handled. We will tell you our decision by %(date)s."),
    "decided": i18n.lazy("We have sent you our decision."),
    "closed": i18n.lazy("Your complaint is closed."),
    "not_accepted": i18n.lazy("We have sent you a notice explaining why your complaint was not accepted."),
    "transferred_internal": i18n.lazy("We have sent you a notice telling you who handles your complaint now."),
    "transferred_out": i18n.lazy("We have sent you a notice telling you who handles your complaint now."),
    "withdrawn": i18n.lazy("You withdrew this complaint."),
    "merged": i18n.lazy("We have sent you a notice with the number of the complaint it was combined with."),
}


def _next_date(s: PublicStatus) -> date | None:
    if s.status == "under_review":
        return s.acceptance_notice_due
    if s.status in ("accepted", "investigating"):
        return s.decision_due
    return None


def explain(s: PublicStatus) -> dict[str, Any]:
    """The status page's words: the status, what happens next and by when, and the dates."""
    when = _next_date(s)
    message = _NEXT.get(s.status, "")
    if "%(date)s" in message and when is None:  # no date yet (e.g. paused): say it without one
        message = ""
    text = i18n.gettext(message, date=i18n.fmt_date(when)) if message else ""
    dates: list[tuple[str, date]] = [(i18n.gettext("Received on"), s.received_on)]
    if s.status in OPEN_STATUSES and s.status != "decided":
        if s.acceptance_notice_due and s.status in ("registered", "materials_incomplete", "under_review"):
            dates.append((i18n.gettext("Answer on acceptance due by"), s.acceptance_notice_due))
        if s.decision_due:
            dates.append((i18n.gettext("Decision due by"), s.decision_due))
    if s.decided_on:
        dates.append((i18n.gettext("Decided on"), s.decided_on))
    if s.closed_on:
        dates.append((i18n.gettext("Closed on"), s.closed_on))
    return {
        "label": PUBLIC_STATUS_LABELS(s.status),
        "next": text,
        "dates": dates,
        "provisional": s.deadlines_provisional and s.status in OPEN_STATUSES,
        "open": s.status in OPEN_STATUSES,
    }
