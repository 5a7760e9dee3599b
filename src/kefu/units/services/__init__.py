"""Unit writes: one function per change, each checking its permission, writing its audit event
and running in its own transaction (a savepoint inside the request's).

units: create_unit, update_unit (building_for finds or makes a unit's building).
imports: start_import (the upload, checked by a job), preview_import (store a checked upload),
start_confirm (a clean preview, imported by a job), confirm_import, discard_import, forget_stale_imports (the sweep that drops old uploads' rows).
residents: link_resident, end_residency, link_customers (free-text flats to units).
moves: start_move, tick_item, complete_move (move-in and move-out checklists).
occupancy: change_occupancy (by hand: renovation), record_change (move-in, move-out),
  begin_renovation, end_renovation (an approved renovation application, kefu.desk).
"""

from kefu.units.services.imports import (
    ALREADY_IMPORTED,
    IMPORTED,
    ImportNotClean,
    confirm_import,
    discard_import,
    forget_stale_imports,
    preview_import,
    start_confirm,
    start_import,
)
from kefu.units.services.moves import complete_move, start_move, tick_item
from kefu.units.services.occupancy import (
    begin_renovation,
    change_occupancy,
    end_renovation,
    record_change,
)
from kefu.units.services.residents import MatchReport, end_residency, link_customers, link_resident
from kefu.units.services.units import building_for, create_unit, update_unit

__all__ = [
    "ALREADY_IMPORTED", "IMPORTED", "ImportNotClean", "MatchReport", "begin_renovation", "building_for",
    "change_occupancy", "complete_move", "confirm_import", "end_renovation",
    "create_unit", "discard_import", "forget_stale_imports", "end_residency", "link_customers", "link_resident",
    "preview_import", "start_confirm", "start_import", "record_change", "start_move", "tick_item", "update_unit",
]
