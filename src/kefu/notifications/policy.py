"""The outbox's pure rules: a notice's states and their words, when it counts as on time or
overdue, which (kind, locale, channel) keys are valid, and what a notice owed must carry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kefu import i18n
from kefu.core.errors import FieldError, Refused
from kefu.core.labels import declare_audit

PERMISSION = "notices.manage"
CHANNELS = ("email", "sms", "letter")
SMS_PROVIDERS = ("aliyun",)
LOCALES = ("zh_CN", "en")
KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_SUBJECT = 200
MAX_BODY = 20_000
DEFAULT_SEND_FROM = 8 * 60  # the tenant's sending hours, minutes after midnight in its time zone
DEFAULT_SEND_UNTIL = 21 * 60
CLOCK_RE = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")

OPEN_STATES = ("pending", "waiting", "failed", "ready", "dead")
STATES = ("pending", "waiting", "failed", "dead", "ready", "sent", "cancelled")
CANCELLED = "cancelled"  # an end state: cancelled from the platform console, never sent
# The platform console's bulk actions, per (tenant, state): which states each applies to.
BULK_RETRY_STATES = ("dead", "waiting", "failed")
BULK_CANCEL_STATES = ("pending", "failed", "dead", "waiting")
# What a notice is about, in words (never "complaint #4"): the kind of subject, then the
# reference people use for it, taken from the notice's own data.
SUBJECT_LABELS = {
    "complaint": i18n.lazy("Complaint"), "unit": i18n.lazy("Property unit"),
    "invitation": i18n.lazy("Staff invitation"), "duty_task": i18n.lazy("Duty task"),
    "survey_invitation": i18n.lazy("Survey invitation"), "survey_half_year": i18n.lazy("Half-year survey"),
}
SUBJECT_REFERENCES = ("complaint_number", "unit", "task_title", "title", "round_title", "half_year", "email")
ATTENTION_STATES = ("dead", "waiting", "failed", "ready")
STATE_LABELS = {
    "pending": i18n.lazy("Pending"), "waiting": i18n.lazy("Not configured, waiting"),
    "failed": i18n.lazy("Failed, will retry"),
    "dead": i18n.lazy("Failed for good"), "ready": i18n.lazy("Ready to post"), "sent": i18n.lazy("Sent"),
    "cancelled": i18n.lazy("Cancelled, never sent"),
}
PROVIDER_LABELS = {
    "smtp": i18n.lazy("accepted by the mail server"), "aliyun": i18n.lazy("accepted by Aliyun SMS"),
    "mailbox": i18n.lazy("local mailbox only (development): not delivered to anyone"),
    "post": i18n.lazy("posted"),
}
# What staff may do to a notice, by its channel and state: the pages show these buttons and the
# services refuse anything else (one rule for both).
RETRY = "retry"
MARK_POSTED = "mark_posted"
RETRYABLE_STATES = ("failed", "dead")
RETRY_REFUSED = i18n.lazy("Only a failed or dead notice can be sent again.")
POSTED_REFUSED = i18n.lazy("Only a letter that is ready can be marked as posted.")
# Each action's refusal: a stable code (tests and logs match it) and the msgid the page shows.
REFUSALS = {RETRY: ("not_retryable", RETRY_REFUSED), MARK_POSTED: ("not_ready_to_post", POSTED_REFUSED)}
ATTEMPT_STATES = ("pending", "failed")  # a delivery attempt is still planned


def allowed_actions(channel: str, state: str) -> frozenset[str]:
    """The actions staff may take on a notice in `state` sent by `channel`."""
    found: set[str] = set()
    if state in RETRYABLE_STATES:
        found.add(RETRY)
    if channel == "letter" and state == "ready":
        found.add(MARK_POSTED)
    return frozenset(found)


def refusal(action: str) -> Refused:
    """What a service raises when `action` is not (or no longer) allowed on a notice."""
    code, message = REFUSALS[action]
    return Refused(code, message)


def check_allowed(action: str, channel: str, state: str) -> None:
    """Raises the action's Refused unless staff may take it on a notice in `state`."""
    if action not in allowed_actions(channel, state):
        raise refusal(action)


def awaits_attempt(state: str) -> bool:
    """The page shows a notice's next attempt only while one is planned."""
    return state in ATTEMPT_STATES


CHANNEL_LABELS = {"email": i18n.lazy("Email"), "sms": i18n.lazy("SMS"), "letter": i18n.lazy("Letter")}


@dataclass(frozen=True)
class SmsConfig:
    """A tenant's SMS provider, its secret unsealed (only delivery holds it, never a page)."""

    provider: str
    access_key_id: str
    secret: str = field(repr=False)
    sign_name: str
    templates: dict[str, str]  # notice kind -> the provider's template code


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
    provider: str
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
        provider=row.get("provider", ""),
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


def next_send_time(now: datetime, tz: ZoneInfo, send_from: int, send_until: int) -> datetime:
    """`now` when it falls inside the sending hours [send_from, send_until) of the tenant's
    wall clock, else the moment they next open (UTC). Equal bounds mean no quiet hours; a
    window may cross midnight (22:00–06:00)."""
    if send_from == send_until:
        return now
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    if send_from < send_until:
        if send_from <= minute < send_until:
            return now
        day = local.date() if minute < send_from else local.date() + timedelta(days=1)
    else:
        if minute >= send_from or minute < send_until:
            return now
        day = local.date()
    opening = datetime.combine(day, time(send_from // 60, send_from % 60), tz)
    return opening.astimezone(UTC)


def parse_clock(field_name: str, text: str) -> int:
    """"08:00" -> 480; raises FieldError in the user's language."""
    found = CLOCK_RE.match(text.strip())
    if not found:
        raise FieldError(field_name, "Enter a time as HH:MM, for example 08:00.")
    return int(found.group(1)) * 60 + int(found.group(2))


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def outlook(state: str, channel: str, address: str, configured: bool) -> str:
    """What really happened to a notice just owed, in one word for the page that owed it:
    sent, failed (for good, or retrying), not_configured (waits for the channel), or queued."""
    if state == "sent":
        return "sent"
    if state in ("dead", "failed") or (state == "pending" and channel != "letter" and not address):
        return "failed"
    if state == "waiting" or (state == "pending" and channel == "email" and not configured):
        return "not_configured"
    return "queued"


def subject_text(subject_type: str, data: Any) -> str:
    """"投诉 TS2026-000004", "房屋 3-2-1501": the subject's kind and the reference people use,
    from the notice's data (a JSON string or a mapping); "—" for a kind nobody named."""
    label = SUBJECT_LABELS.get(subject_type)
    if label is None:
        return "—"
    if isinstance(data, str):
        try:
            data = json.loads(data or "{}")
        except ValueError:
            data = {}
    found = data if isinstance(data, dict) else {}
    reference = next((str(found[k]) for k in SUBJECT_REFERENCES if isinstance(found.get(k), str | int) and found.get(k)), "")
    return f"{i18n.gettext(label)} {reference}".strip()


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(None, {"notice": i18n.lazy("Notice"), "notice_template": i18n.lazy("Notice template"),
    "delivery_setting": i18n.lazy("Delivery settings"), "delivery": i18n.lazy("Delivery settings")})
