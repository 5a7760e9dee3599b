"""Repeat detection (A art. 15), pure: same complainant, same subject."""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

from kefu.complaints.policy.transitions import IN_HANDLING, OPEN_STATUSES
from kefu.core import phones

# --- Repeat detection (A art. 15) -----------------------------------------------------------


class Party(msgspec.Struct, frozen=True):
    """What repeat detection compares: who complains, about what."""

    name: str
    phone: str
    email: str
    subject: str
    customer_ref: str


class PriorComplaint(msgspec.Struct, frozen=True):
    id: int
    number: str
    status: str
    party: Party


class RepeatMatch(msgspec.Struct, frozen=True):
    complaint_id: int
    number: str
    kind: Literal["open", "decided"]
    ground: str  # the art. 15 ground that applies if the repeat brings no new facts; "" if none


def _norm_text(v: str) -> str:
    return "".join(c for c in v.casefold() if c.isalnum())


def same_party(a: Party, b: Party) -> bool:
    """Same complainant (phone, email or name) and same subject (customer ref or subject)."""
    who = any(
        x and x == y
        for x, y in (
            (phones.key(a.phone), phones.key(b.phone)),
            (a.email.strip().casefold(), b.email.strip().casefold()),
            (_norm_text(a.name), _norm_text(b.name)),
        )
    )
    ref_a, ref_b = _norm_text(a.customer_ref), _norm_text(b.customer_ref)
    what = bool(ref_a and ref_a == ref_b) or bool(
        _norm_text(a.subject) and _norm_text(a.subject) == _norm_text(b.subject)
    )
    return who and what


def find_repeat_matches(party: Party, prior: list[PriorComplaint]) -> list[RepeatMatch]:
    """Earlier complaints the new one repeats (A art. 15).

    An open one is still within its handling period: without new facts the repeat is not
    accepted under art. 15(2) (if it was accepted), with new facts it is merged. A decided or
    closed one falls under art. 15(3). Complaints that ended without a decision are ignored.
    """
    matches: list[RepeatMatch] = []
    for p in prior:
        if not same_party(party, p.party):
            continue
        if p.status in ("decided", "closed"):
            matches.append(RepeatMatch(p.id, p.number, "decided", "a15_3"))
        elif p.status in OPEN_STATUSES:
            ground = "a15_2" if p.status in IN_HANDLING else ""
            matches.append(RepeatMatch(p.id, p.number, "open", ground))
    return matches


# --- Merging (A art. 15, last paragraph) ----------------------------------------------------


def merge_refusal(
    repeat: tuple[date, int], into: tuple[date, int], into_decision_due: date | None
) -> str | None:
    """Why the repeat (received on, id) cannot be merged into `into`: only a later complaint
    merges into an earlier one, and only one received within the earlier one's handling period."""
    if repeat <= into:
        return "merge_not_later"
    if into_decision_due is not None and repeat[0] > into_decision_due:
        return "merge_after_period"
    return None


def restarts_period(into_decision_due: date | None, today: date) -> bool:
    """The handling period restarts from the new materials, unless the earlier complaint is
    already overdue: a merge never moves an overdue deadline later."""
    return into_decision_due is None or today <= into_decision_due
