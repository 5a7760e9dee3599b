"""What an answer link opens and whether it can take an answer now: the token's round (and
invitation), and its state (open, not open yet, closed, already answered), from which the public
page picks its message. Plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from kefu.surveys.policy.definition import Definition, ValidityRules
from kefu.surveys.policy.rounds import CLOSED as ROUND_CLOSED

MAX_TOKEN = 64

# States a token can be in; the controller turns each into a page.
OPEN: Final = "open"
NOT_OPEN_YET: Final = "not_open_yet"
CLOSED: Final = "closed"
ALREADY_ANSWERED: Final = "already_answered"


@dataclass(frozen=True)
class Target:
    """What a token opens: a round, and the invitation when it is an invitee's token."""

    round_id: int
    title: str
    definition: Definition
    validity: ValidityRules
    opens_at: datetime
    closes_at: datetime
    status: str
    invitation_id: int | None = None
    invitation_state: str = ""
    customer_id: int | None = None
    building: str = ""
    segment: str = ""
    household: str = ""

    @property
    def is_open_link(self) -> bool:
        return self.invitation_id is None

    def state(self, now: datetime) -> str:
        if self.invitation_state == "answered":
            return ALREADY_ANSWERED
        if self.status == ROUND_CLOSED or now >= self.closes_at:
            return CLOSED
        if now < self.opens_at:
            return NOT_OPEN_YET
        return OPEN


def plausible_token(token: str) -> bool:
    """Tokens are secrets.token_urlsafe: anything else is not looked up (and NUL never reaches
    the database)."""
    return 0 < len(token) <= MAX_TOKEN and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)


def duration_seconds(started_at: datetime | None, now: datetime) -> int:
    return max(0, int((now - started_at).total_seconds())) if started_at else 0
