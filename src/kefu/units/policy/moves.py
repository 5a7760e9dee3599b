"""Move-in (入伙/入住) and move-out (退租) as checklists (C.f): when one may start, and what
may be done with an open one. Plain functions, no I/O."""

from __future__ import annotations

from collections.abc import Iterable

from kefu import i18n
from kefu.core.errors import Refused
from kefu.units.policy.occupancy import OCCUPIED, RENOVATION, VACANT, move_in_state

MOVE_KINDS = ("move_in", "move_out")
MOVE_MSGIDS = {"move_in": i18n.lazy("Move-in"), "move_out": i18n.lazy("Move-out")}
# The occupancy a unit must have for each kind of move to start.
STARTS_FROM = {"move_in": frozenset({VACANT, RENOVATION}), "move_out": OCCUPIED}


class MoveRefused(Refused):
    pass


def can_start(kind: str, occupancy: str, has_open_move: bool) -> bool:
    return kind in MOVE_KINDS and occupancy in STARTS_FROM[kind] and not has_open_move


def check_start(kind: str, occupancy: str, has_open_move: bool) -> None:
    if has_open_move:
        raise MoveRefused("move_open", i18n.lazy("This unit has a move under way; finish it first."))
    if not can_start(kind, occupancy, False):
        raise MoveRefused("move_not_now", i18n.lazy("This unit cannot start that now."))


def missing(codes: Iterable[str], ticked: Iterable[str]) -> list[str]:
    """The checklist codes not ticked yet, in checklist order."""
    done = set(ticked)
    return [c for c in codes if c not in done]


def move_actions(state: str, codes: Iterable[str], ticked: Iterable[str]) -> frozenset[str]:
    """tick while open; complete once every item is ticked; nothing once done."""
    if state != "open":
        return frozenset()
    return frozenset({"tick", "complete"} if not missing(codes, ticked) else {"tick"})


def target_state(kind: str, role: str) -> str:
    """The occupancy a completed move gives the unit."""
    return move_in_state(role) if kind == "move_in" else VACANT
