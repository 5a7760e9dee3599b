"""A round's rules: its states, what may be done to it in each (the round page's buttons and the
services' refusals both come from `round_actions`), and what makes a new round's input usable.

States: scheduled -> open -> closed; a scheduled round may also be closed without opening. A
closed round never opens again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.surveys.policy.audience import Audience, check_audience

SCHEDULED: Final = "scheduled"
OPEN: Final = "open"
CLOSED: Final = "closed"
STATUSES: Final = (SCHEDULED, OPEN, CLOSED)

# What staff may do to a round (the buttons of its page).
OPEN_NOW: Final = "open"  # open a scheduled round before its day: invite everyone now
CLOSE: Final = "close"
ADD_OPEN_LINK: Final = "open_link"  # make the anonymous link (and so a poster)
POSTER: Final = "poster"  # print the poster of its open link
EXPORT: Final = "export"  # the invitation list with the personal links
REMIND_NOW: Final = "remind"  # remind the non-responders now (once per invitee per day)

MAX_TITLE = 200
MAX_REMINDER_DAYS = 90
MAX_WINDOW_DAYS = 366

# Why an action is refused: (stable code, msgid).
REFUSALS: Final[dict[str, tuple[str, str]]] = {
    OPEN_NOW: ("round_not_scheduled", i18n.lazy("Only a scheduled round can be opened.")),
    CLOSE: ("round_closed", i18n.lazy("This round is closed.")),
    ADD_OPEN_LINK: ("round_closed", i18n.lazy("This round is closed.")),
    REMIND_NOW: ("round_not_open", i18n.lazy("Only an open round can send reminders.")),
}


def round_actions(status: str, *, has_open_link: bool, can_manage: bool) -> frozenset[str]:
    """What may be done to a round in `status` by a member who may (or may not) manage surveys."""
    allowed: set[str] = {POSTER} if has_open_link else set()
    if not can_manage:
        return frozenset(allowed)
    allowed.add(EXPORT)
    if status == SCHEDULED:
        allowed.add(OPEN_NOW)
    if status == OPEN:
        allowed.add(REMIND_NOW)
    if status in (SCHEDULED, OPEN):
        allowed.add(CLOSE)
        if not has_open_link:
            allowed.add(ADD_OPEN_LINK)
    return frozenset(allowed)


def refusal(action: str, status: str, *, has_open_link: bool = False) -> tuple[str, str] | None:
    """(code, msgid) when `action` may not be done to a round in `status`, else None. The
    permission is the caller's (the route's guard); this is the state's part."""
    if action in round_actions(status, has_open_link=has_open_link, can_manage=True):
        return None
    return REFUSALS.get(action, ("round_action_refused", i18n.lazy("This action is not allowed here.")))


def invites_later(status: str) -> bool:
    """The audience is picked when the round opens: until then its page says whom it would invite."""
    return status == SCHEDULED


def is_live(status: str) -> bool:
    """Answers are coming in: the page refreshes its counts."""
    return status == OPEN


def reminder_day_start(now: datetime, tz: ZoneInfo) -> datetime:
    """The start (UTC) of the tenant's day `now` falls in: an invitee reminded since then has had
    today's reminder ("remind now" reminds each invitee at most once a day, the tenant's day)."""
    local = now.astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz).astimezone(UTC)


def may_remind_again(reminded_at: datetime | None, now: datetime, tz: ZoneInfo) -> bool:
    """Whether a non-responder may be reminded now: never reminded, or not yet today."""
    return reminded_at is None or reminded_at < reminder_day_start(now, tz)


def closes_on(closes_at: datetime, tz: str) -> date:
    """The last day a round takes answers, the one date every page, notice, poster and export
    shows for its closing: `closes_at` is the instant it stops (the midnight after the last day
    chosen on the form), so the day before that midnight in the tenant's time zone; a round
    closed by hand at 15:00 closed that day."""
    return (closes_at.astimezone(ZoneInfo(tz)) - timedelta(microseconds=1)).date()


@dataclass
class RoundInput:
    template_id: int
    title: str
    audience: Audience
    opens_at: datetime
    closes_at: datetime
    reminder_after_days: int = 0
    open_link: bool = False
    half_year: str = ""


def check_round(data: RoundInput, now: datetime) -> None:
    """FieldError naming the form field when the new round cannot run as asked."""
    if not data.title.strip():
        raise FieldError("title", "This field is required.")
    if len(data.title) > MAX_TITLE:
        raise FieldError("title", "At most %(max)s characters.", max=MAX_TITLE)
    if data.closes_at <= data.opens_at:
        raise FieldError("closes_on", "The round must close after it opens.")
    if data.closes_at <= now:
        raise FieldError("closes_on", "The closing date has already passed.")
    if data.closes_at - data.opens_at > timedelta(days=MAX_WINDOW_DAYS):
        raise FieldError("closes_on", "A round may run for at most %(max)s days.", max=MAX_WINDOW_DAYS)
    if not 0 <= data.reminder_after_days <= MAX_REMINDER_DAYS:
        raise FieldError("reminder_after_days", "Enter a number from 0 to %(max)s.", max=MAX_REMINDER_DAYS)
    if data.reminder_after_days and data.opens_at + timedelta(days=data.reminder_after_days) >= data.closes_at:
        raise FieldError("reminder_after_days", "The reminder must go out before the round closes.")
    check_audience(data.audience)


@dataclass
class Counts:
    """Invited, responded and valid: a round's live figures on the dashboard and its page.
    The response rate counts invitees who answered over invitations; answers through the open
    link are counted beside it (`via_open`), never inside it."""

    invited: int = 0
    responded: int = 0  # every response, open link included
    valid: int = 0
    via_open: int = 0

    @property
    def invited_responded(self) -> int:
        return self.responded - self.via_open

    @property
    def response_rate(self) -> float | None:
        return self.invited_responded / self.invited * 100 if self.invited else None

    @property
    def valid_rate(self) -> float | None:
        return self.valid / self.responded * 100 if self.responded else None
