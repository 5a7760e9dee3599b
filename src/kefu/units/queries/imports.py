"""Unit import reads: the recent uploads and one stored preview."""

from __future__ import annotations

from typing import Any

from kefu.core import imports
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.units import policy
from kefu.units.tables import UnitImport


async def recent_imports(ctx: TenantContext, limit: int = 20) -> list[dict[str, Any]]:
    ctx.require("units.manage")
    return await scoped(
        UnitImport, ctx.tenant_id, UnitImport.id, UnitImport.filename, UnitImport.state,
        UnitImport.row_count, UnitImport.error_count, UnitImport.imported_count, UnitImport.created_at,
    ).order_by(UnitImport.id, ascending=False).limit(limit)


async def import_preview(ctx: TenantContext, import_id: int) -> dict[str, Any]:
    """One stored import as its page shows it (kefu.core.imports.preview) and what may be done
    with it. 403, 404."""
    ctx.require("units.manage")
    imp = await get_in_tenant(UnitImport, ctx.tenant_id, import_id)
    rows, errors = imports.loaded(imp.rows) or [], imports.loaded(imp.errors) or []
    return {
        "imp": imp, **imports.preview(rows, errors),
        "actions": policy.import_actions(imp.state, imp.error_count),
    }
