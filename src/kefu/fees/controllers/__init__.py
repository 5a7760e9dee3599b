"""Fee routes: items, bills and payments with receipts, a unit's fees, the manager's report."""

from __future__ import annotations

from kefu.fees.controllers.api import FeesApiController
from kefu.fees.controllers.bills import BillController
from kefu.fees.controllers.items import FeeItemController
from kefu.fees.controllers.reports import FeeReportController
from kefu.fees.controllers.units import UnitFeesController

routes: list = [FeesApiController, FeeItemController, BillController, FeeReportController, UnitFeesController]
