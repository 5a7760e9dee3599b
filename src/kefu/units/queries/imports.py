"""Unit import reads: the recent uploads and one stored preview (kefu.core.staged_imports)."""

from __future__ import annotations

from typing import Any

from kefu.core import staged_imports
from kefu.core.tenancy import TenantContext
from kefu.units.tables import UnitImport


async def recent_imports(ctx: TenantContext, limit: int = 20) -> list[dict[str, Any]]:
    return await staged_imports.recent_imports(ctx, UnitImport, "units.manage", limit)


async def import_preview(ctx: TenantContext, import_id: int) -> dict[str, Any]:
    """One stored import as its page shows it and what may be done with it. 403, 404."""
    return await staged_imports.import_page(ctx, UnitImport, "units.manage", import_id)
