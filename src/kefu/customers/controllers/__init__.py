"""Customer routes: the staff registry pages and the import."""

from __future__ import annotations

from kefu.customers.controllers.imports import CustomerImportController
from kefu.customers.controllers.staff import CustomerController

routes: list = [CustomerImportController, CustomerController]
