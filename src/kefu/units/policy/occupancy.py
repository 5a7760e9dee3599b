"""Occupancy of a unit (C.i counts occupied and vacant units each month): vacant,
owner-occupied, let, under renovation, and which changes are allowed by which step.

A unit becomes occupied by a completed move-in (入伙/入住) and vacant by a completed move-out
(退租); renovation (C.m) starts and ends by hand with a reason. Plain functions, no I/O.
"""

from __future__ import annotations

from kefu import i18n
from kefu.core.errors import Refused

VACANT, OWNER_OCCUPIED, LET, RENOVATION = "vacant", "owner_occupied", "let", "renovation"
OCCUPANCY = (VACANT, OWNER_OCCUPIED, LET, RENOVATION)
OCCUPIED = frozenset({OWNER_OCCUPIED, LET})
OCCUPANCY_MSGIDS = {
    VACANT: i18n.lazy("Vacant"),
    OWNER_OCCUPIED: i18n.lazy("Owner-occupied"),
    LET: i18n.lazy("Let"),
    RENOVATION: i18n.lazy("Under renovation"),
}

# how -> {from: allowed targets}
_STEPS: dict[str, dict[str, frozenset[str]]] = {
    "move_in": {VACANT: frozenset(OCCUPIED), RENOVATION: frozenset(OCCUPIED)},
    "move_out": {OWNER_OCCUPIED: frozenset({VACANT}), LET: frozenset({VACANT})},
    # C.m: an approved renovation application (kefu.desk) begins it; its completion gives the
    # unit back the occupancy it had before.
    "renovation": {
        VACANT: frozenset({RENOVATION}),
        OWNER_OCCUPIED: frozenset({RENOVATION}),
        LET: frozenset({RENOVATION}),
        RENOVATION: frozenset({VACANT, OWNER_OCCUPIED, LET}),
    },
    "manual": {
        VACANT: frozenset({RENOVATION}),
        OWNER_OCCUPIED: frozenset({RENOVATION}),
        LET: frozenset({RENOVATION}),
        RENOVATION: frozenset({VACANT}),
    },
}
STEPS = tuple(_STEPS)


class NotAllowed(Refused):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            "occupancy_not_allowed",
            i18n.lazy("A unit that is %(current)s cannot become %(target)s this way."),
            current=i18n.gettext(OCCUPANCY_MSGIDS.get(current, current)),
            target=i18n.gettext(OCCUPANCY_MSGIDS.get(target, target)),
        )


def next_states(current: str, how: str) -> frozenset[str]:
    """What a unit in `current` may become by `how` (move_in, move_out, manual)."""
    return _STEPS.get(how, {}).get(current, frozenset())


def check_change(current: str, target: str, how: str) -> None:
    """Raises NotAllowed unless `how` may take the unit from `current` to `target`."""
    if target not in next_states(current, how):
        raise NotAllowed(current, target)


def move_in_state(role: str) -> str:
    """The occupancy a move-in gives: the owner lives there, or the unit is let."""
    return OWNER_OCCUPIED if role == "owner" else LET


def reason_required(how: str) -> bool:
    """A change by hand says why (renovation begun or ended); a checklist is its own reason."""
    return how == "manual"
