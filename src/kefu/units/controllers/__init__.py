"""Unit routes: the desk search, the staff pages of buildings and units, their import, and
the desk's actions on a unit (residents, occupancy)."""

from __future__ import annotations

from kefu.units.controllers.api import UnitsApiController
from kefu.units.controllers.desk import UnitDeskController
from kefu.units.controllers.imports import UnitImportController
from kefu.units.controllers.moves import MoveController
from kefu.units.controllers.search import DeskController
from kefu.units.controllers.units import UnitController

routes: list = [UnitsApiController, DeskController, UnitImportController, UnitDeskController, MoveController, UnitController]
