"""The desk's rules as plain functions: which step a paid-service order, a renovation or an
enquiry may take in which state, what an order costs and on which month's bill it is charged,
when a renovation may be completed. No I/O (pack.py reads the pack's TOML once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kefu import i18n
from kefu.core.errors import Refused
from kefu.desk.policy.pack import Choice, DeskPack, Renovation, Service, desk_pack

FEN = Decimal("0.01")
OPEN, ASSIGNED, DONE, CANCELLED = "open", "assigned", "done", "cancelled"
APPLIED, APPROVED, COMPLETED, REJECTED = "applied", "approved", "completed", "rejected"
CLOSED = "closed"
PASS, FAIL = "pass", "fail"
RESULTS = (PASS, FAIL)

ORDER_STATES = (OPEN, ASSIGNED, DONE, CANCELLED)
RENOVATION_STATES = (APPLIED, APPROVED, COMPLETED, REJECTED)
ENQUIRY_STATES = (OPEN, CLOSED)

# what -> action -> the states it may be taken from
_ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "order": {"assign": frozenset({OPEN, ASSIGNED}), "complete": frozenset({ASSIGNED}),
              "cancel": frozenset({OPEN, ASSIGNED})},
    # C.m: approved is the renovation under way (the unit shows 'under renovation').
    "renovation": {"approve": frozenset({APPLIED}), "reject": frozenset({APPLIED}),
                   "inspect": frozenset({APPROVED}), "complete": frozenset({APPROVED})},
    "enquiry": {"assign": frozenset({OPEN}), "answer": frozenset({OPEN})},
}


class NotNow(Refused):
    def __init__(self, what: str, action: str) -> None:
        super().__init__(f"{what}_{action}_not_allowed", i18n.lazy("This cannot be done in the current state."))


class NotInspected(Refused):
    def __init__(self) -> None:
        super().__init__("renovation_not_inspected",
                         i18n.lazy("A renovation is completed only after an inspection it passed."))


def allowed(what: str, action: str, state: str) -> bool:
    return state in _ACTIONS[what].get(action, frozenset())


def check(what: str, action: str, state: str) -> None:
    """Raises NotNow unless `action` may be taken on a `what` in `state`."""
    if not allowed(what, action, state):
        raise NotNow(what, action)


def actions(what: str, state: str) -> list[str]:
    return [a for a, states in _ACTIONS[what].items() if state in states]


def order_amount(price: Decimal, quantity: int | Decimal) -> Decimal:
    return (price * quantity).quantize(FEN, rounding=ROUND_HALF_UP)


def charge_period(done_on: date) -> date:
    """C.c: a paid service is charged on the unit's next bill, the month after it was done."""
    return date(done_on.year + done_on.month // 12, done_on.month % 12 + 1, 1)


def period_problem(starts_on: date, ends_on: date, max_days: int) -> str | None:
    """The msgid of what is wrong with a renovation's period, or None."""
    if ends_on < starts_on:
        return i18n.lazy("The last day comes before the first day.")
    if (ends_on - starts_on).days + 1 > max_days:
        return i18n.lazy("A renovation may last at most %(max)s days.")
    return None


def check_completion(results: Sequence[str]) -> None:
    """Raises NotInspected unless the last inspection (results oldest first) passed."""
    if not results or results[-1] != PASS:
        raise NotInspected()


__all__ = [
    "APPLIED", "APPROVED", "ASSIGNED", "CANCELLED", "CLOSED", "COMPLETED", "DONE", "ENQUIRY_STATES", "FAIL",
    "OPEN", "ORDER_STATES", "PASS", "REJECTED", "RENOVATION_STATES", "RESULTS", "Choice", "DeskPack",
    "NotInspected", "NotNow", "Renovation", "Service", "actions", "allowed", "charge_period", "check",
    "check_completion", "desk_pack", "order_amount", "period_problem",
]
