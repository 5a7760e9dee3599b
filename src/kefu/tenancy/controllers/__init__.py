"""Tenant pages: the tenant's home and its audit trail (the audit module keeps the records and
their reads; its pages live here so that audit depends on no module)."""

from kefu.tenancy.controllers import audit, home

routes = [*home.routes, *audit.routes]
