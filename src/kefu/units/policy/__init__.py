"""Unit rules as plain functions: addresses as people write them, the check of a unit's fields
and of an import's rows, occupancy and its allowed changes, and the units part of the pack.

Nothing here touches the database (pack.py reads the pack's TOML once); tests/units/policy
tables them.
"""

from kefu.units.policy.address import (
    Address,
    address_key,
    address_spellings,
    building_code,
    entrance_code,
    floor_of,
    parse_address,
    room_code,
)
from kefu.units.policy.moves import (
    MOVE_KINDS,
    MOVE_MSGIDS,
    MoveRefused,
    can_start,
    check_start,
    missing,
    move_actions,
    target_state,
)
from kefu.units.policy.occupancy import (
    OCCUPANCY,
    OCCUPANCY_MSGIDS,
    OCCUPIED,
    RENOVATION,
    NotAllowed,
    check_change,
    move_in_state,
    next_states,
    reason_required,
)
from kefu.units.policy.pack import Choice, UnitsPack, units_pack
from kefu.units.policy.residents import (
    KIND_ROLES,
    ROLES,
    check_residency,
    flat_address,
    phone_tail,
)
from kefu.units.policy.units import check_rows, check_unit, key_of, parse_area

__all__ = [
    "MOVE_KINDS", "MOVE_MSGIDS", "MoveRefused", "can_start", "check_start", "missing",
    "move_actions", "target_state",
    "KIND_ROLES", "check_residency", "flat_address", "phone_tail",
    "OCCUPANCY", "OCCUPANCY_MSGIDS", "OCCUPIED", "RENOVATION", "ROLES", "Address", "Choice", "NotAllowed",
    "UnitsPack", "address_key", "building_code", "check_change", "check_rows", "check_unit",
    "entrance_code", "floor_of", "key_of", "move_in_state", "next_states",
    "address_spellings", "parse_address", "parse_area", "reason_required", "room_code", "units_pack",
]
