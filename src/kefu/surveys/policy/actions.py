"""An improvement action's rules (B.l: organise improvements and follow them to closure): its
states, when it is overdue, and what may be done to it in each state; the pages' buttons and the
services' refusals both come from `action_actions`.

Lifecycle: open -> done (with its outcome and the day it closed) or dropped (with why); a
closed action can be reopened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from kefu import i18n

OPEN: Final = "open"
DONE: Final = "done"
DROPPED: Final = "dropped"
STATUSES: Final = (OPEN, DONE, DROPPED)
CLOSING: Final = (DONE, DROPPED)
FILTERS: Final = ("open", "overdue", "done", "dropped", "all")

EDIT: Final = "edit"
CLOSE: Final = "close"
REOPEN: Final = "reopen"

REFUSALS: Final[dict[str, tuple[str, str]]] = {
    CLOSE: ("action_closed", i18n.lazy("This action is already closed.")),
    REOPEN: ("action_open", i18n.lazy("This action is already open.")),
}


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """Still open after its due day."""
    return status == OPEN and due_on is not None and due_on < today


REMIND_EVERY_DAYS: Final = 7


def overdue_reminder_week(status: str, due_on: date | None, today: date) -> int | None:
    """Which overdue reminder an action owes its owner today: 0 from the first day after its due
    day, 1 a week later, and so on (the notice is unique per week, so a missed tick sends it
    later that week); None while it is not overdue."""
    if not is_overdue(status, due_on, today):
        return None
    assert due_on is not None
    return ((today - due_on).days - 1) // REMIND_EVERY_DAYS


def action_actions(status: str, *, can_act: bool) -> frozenset[str]:
    """What a member who may (or may not) change actions may do to one in `status`."""
    if not can_act:
        return frozenset()
    return frozenset({EDIT, CLOSE} if status == OPEN else {EDIT, REOPEN})


def refusal(action: str, status: str) -> tuple[str, str] | None:
    """(code, msgid) when `action` may not be done in `status`; the permission is checked apart."""
    if action in action_actions(status, can_act=True):
        return None
    return REFUSALS.get(action, ("action_refused", i18n.lazy("This action is not allowed here.")))


@dataclass(frozen=True)
class ActionFlags:
    """What a page shows of one action: its state as flags and the buttons it offers."""

    is_open: bool
    is_done: bool
    overdue: bool
    allowed: frozenset[str]


def flags(status: str, due_on: date | None, today: date, *, can_act: bool = False) -> ActionFlags:
    return ActionFlags(is_open=status == OPEN, is_done=status == DONE, overdue=is_overdue(status, due_on, today),
                       allowed=action_actions(status, can_act=can_act))
