"""The unit import pages: upload -> preview with each row's errors -> confirm (or discard)."""

from __future__ import annotations

from kefu.core.import_pages import ImportPages, import_router
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import queries, schemas, services
from kefu.units.labels import helpers

UnitImportController = import_router(ImportPages(
    prefix="units", path="/t/{slug:str}/units/import",
    start_import=services.start_import, start_confirm=services.start_confirm,
    discard_import=services.discard_import,
    recent_imports=queries.recent_imports, import_preview=queries.import_preview,
    max_bytes=schemas.MAX_BYTES, max_rows=schemas.MAX_ROWS, helpers=helpers,
    tenant_context=provide_tenant_context, guards=[requires("units.manage")],
))
