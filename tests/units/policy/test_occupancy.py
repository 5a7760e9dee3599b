"""Occupancy changes: which step may take a unit from which state to which, as a table."""

from __future__ import annotations

import pytest

from kefu.core.errors import Refused
from kefu.units.policy import OCCUPANCY, check_change, move_in_state, next_states, reason_required

ALLOWED = {
    ("vacant", "owner_occupied", "move_in"), ("vacant", "let", "move_in"),
    ("renovation", "owner_occupied", "move_in"), ("renovation", "let", "move_in"),
    ("owner_occupied", "vacant", "move_out"), ("let", "vacant", "move_out"),
    ("vacant", "renovation", "manual"), ("owner_occupied", "renovation", "manual"),
    ("let", "renovation", "manual"), ("renovation", "vacant", "manual"),
}


@pytest.mark.parametrize("how", ["move_in", "move_out", "manual", "bogus"])
@pytest.mark.parametrize("current", OCCUPANCY)
@pytest.mark.parametrize("target", OCCUPANCY)
def test_every_change(current, target, how):
    allowed = (current, target, how) in ALLOWED
    assert (target in next_states(current, how)) is allowed
    if allowed:
        check_change(current, target, how)
    else:
        with pytest.raises(Refused) as refused:
            check_change(current, target, how)
        assert refused.value.code == "occupancy_not_allowed"


def test_an_occupied_unit_becomes_vacant_only_by_a_move_out():
    for state in ("owner_occupied", "let"):
        assert "vacant" not in next_states(state, "manual")


@pytest.mark.parametrize(("role", "state"), [("owner", "owner_occupied"), ("tenant", "let"),
                                             ("resident", "let")])
def test_move_in_state(role, state):
    assert move_in_state(role) == state


def test_only_a_change_by_hand_needs_a_reason():
    assert reason_required("manual") and not reason_required("move_in")
