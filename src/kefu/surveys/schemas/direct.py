"""What another module hands the surveys module to send one person a questionnaire of its own
(a callback's online method), and what it hears back when that person answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DirectQuestion:
    """A free-text question: `key` as in policy.definition.KEY_RE ("q1"), the title in the
    tenant's language and, optionally, in English."""

    key: str
    title: str
    title_en: str = ""
    required: bool = True
    max_length: int = 2000


@dataclass(frozen=True)
class DirectInvitee:
    """Who gets the link: by SMS when there is a phone, else by e-mail, else no message (the
    staff read the link to them)."""

    name: str
    customer_id: int | None = None
    phone: str = ""
    email: str = ""
    locale: str = "zh_CN"


@dataclass(frozen=True)
class Answered:
    """An invitation's answer, as the listeners hear of it once it is stored."""

    tenant_id: int
    round_id: int
    invitation_id: int
    response_id: int
    answers: dict[str, Any] = field(default_factory=dict)
