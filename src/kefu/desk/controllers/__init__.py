"""Desk routes: paid-service orders, renovations, enquiries, the desk's day on the home page and
the public price list."""

from __future__ import annotations

from kefu.desk.controllers.day import DeskDayController
from kefu.desk.controllers.enquiries import EnquiryController
from kefu.desk.controllers.orders import ServiceOrderController
from kefu.desk.controllers.public import PublicPriceListController
from kefu.desk.controllers.renovations import RenovationController

routes: list = [DeskDayController, ServiceOrderController, RenovationController, EnquiryController,
                PublicPriceListController]
