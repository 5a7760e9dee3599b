"""The outbox's pure rules: a notice's states and their words, when it counts as on time or
overdue, which (kind, locale, channel) keys are valid, and what a notice owed must carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kefu import i18n
from kefu.core.errors import FieldError

PERMISSION = "notices.manage"
CHANNELS = ("email", "sms", "letter")
LOCALES = ("zh_CN", "en")
KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_SUBJECT = 200
MAX_BODY = 20_000

OPEN_STATES = ("pending", "failed", "ready", "dead")
STATES = ("pending", "failed", "dead", "ready", "sent")
ATTENTION_STATES = ("dead", "failed", "ready")
STATE_LABELS = {
    "pending": i18n.lazy("Pending"), "failed": i18n.lazy("Failed, will retry"),
    "dead": i18n.lazy("Failed for good"), "ready": i18n.lazy("Ready to post"), "sent": i18n.lazy("Sent"),
}
CHANNEL_LABELS = {"email": i18n.lazy("Email"), "sms": i18n.lazy("SMS"), "letter": i18n.lazy("Letter")}


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    channel: str
    state: str
    recipient_name: str
    due_on: date | None
    sent_at: datetime | None
    sent_on: date | None
    attempts: int
    last_error: str
    on_time: bool | None  # None while open, or when no legal due date applies
    overdue: bool  # still open after its due date


def on_time(due_on: date | None, sent_on: date | None) -> bool | None:
    if due_on is None or sent_on is None:
        return None
    return sent_on <= due_on


def view_of(row: dict[str, Any], today: date) -> NoticeView:
    due_on, sent_on = row["due_on"], row["sent_on"]
    return NoticeView(
        id=row["id"], kind=row["kind"], channel=row["channel"], state=row["state"],
        recipient_name=row["recipient_name"], due_on=due_on, sent_at=row["sent_at"],
        sent_on=sent_on, attempts=row["attempts"], last_error=row["last_error"],
        on_time=on_time(due_on, sent_on),
        overdue=sent_on is None and due_on is not None and today > due_on,
    )


def outbox_filters(state: str, kind: str) -> dict[str, str]:
    """The outbox list's filters from the query string: an unknown state shows every state."""
    return {"state": state if state in STATES else "", "kind": kind.strip()[:60]}


def check_key(kind: str, locale: str, channel: str) -> None:
    """A template's (kind, locale, channel) as the admin typed it; raises FieldError."""
    if not KIND_RE.match(kind):
        raise FieldError("kind", "Use lowercase letters, digits and underscores, starting with a letter.")
    if locale not in LOCALES:
        raise FieldError("locale", "Choose a value from the list.")
    if channel not in CHANNELS:
        raise FieldError("channel", "Choose a value from the list.")


def check_owe(kind: str, subject_type: str, channel: str, unique_key: str) -> None:
    """A notice another module owes is a programming contract: a broken one is a ValueError."""
    if not KIND_RE.match(kind):
        raise ValueError(f"owe_notice: kind {kind!r} must match {KIND_RE.pattern}")
    if channel not in CHANNELS:
        raise ValueError(f"owe_notice: channel {channel!r} is not one of {CHANNELS}")
    if not subject_type or len(subject_type) > 40:
        raise ValueError("owe_notice: subject_type must be 1-40 characters")
    if not unique_key or len(unique_key) > 200:
        raise ValueError("owe_notice: unique_key must be 1-200 characters")


def notice_locale(locale: str) -> str:
    """The language a notice is written in: one we have templates for, else Chinese."""
    return locale if locale in LOCALES else "zh_CN"
