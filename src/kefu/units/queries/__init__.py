"""Unit reads: the list, its export and filter menu, a unit's page and edit form, and the
imports (recent uploads, one stored preview). Scoped to the tenant."""

from kefu.units.queries.billing import billable_units, occupancy_labels, unit_uses, use_labels
from kefu.units.queries.desk import desk_search
from kefu.units.queries.imports import import_preview, recent_imports
from kefu.units.queries.moves import move_page, moves_of
from kefu.units.queries.stats import (
    building_choices,
    moves_between,
    occupancy_at,
    occupancy_by_building,
)
from kefu.units.queries.units import (
    EXPORTING,
    address_conditions,
    address_spellings,
    buildings,
    current_residents,
    edit_form,
    export_args,
    export_count,
    export_file,
    find_unit,
    get_unit,
    residents_of,
    search_units,
    unit_address,
    unit_page,
)

__all__ = [
    "EXPORTING", "address_conditions", "address_spellings", "billable_units", "building_choices", "buildings",
    "current_residents", "desk_search", "edit_form", "export_args", "export_count", "export_file", "find_unit", "get_unit",
    "import_preview", "move_page", "moves_between", "moves_of", "occupancy_at", "occupancy_by_building", "occupancy_labels",
    "recent_imports", "residents_of", "search_units", "unit_address", "unit_page",
    "unit_uses", "use_labels",
]
