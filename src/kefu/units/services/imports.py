"""Importing units: the staged import of kefu.core.staged_imports, with this module's file,
rules and row writer. A row whose address names a unit the centre has updates the columns the
file has; any other row is a new unit (its building made when new).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import imports, progress
from kefu.core.progress import Runner
from kefu.core.scoping import scoped_objects
from kefu.core.staged_imports import ALREADY_IMPORTED as ALREADY_IMPORTED  # for the pages and jobs
from kefu.core.staged_imports import ImportNotClean as ImportNotClean
from kefu.core.staged_imports import StagedImports
from kefu.core.tenancy import TenantContext
from kefu.settings import get_settings
from kefu.tenancy.queries import active_tenant_ids
from kefu.units import policy, schemas
from kefu.units.services.units import apply_input, building_for, pack_of
from kefu.units.tables import Building, Unit, UnitImport
from kefu.workers.services import start_job

# Every column but the id, in table order: one parameterised INSERT per batch.
_COLUMNS = [col for col in Unit._meta.columns if not col._meta.primary_key]
_UPDATED = ("floor", "area", "use", "notes")


CHECKING = i18n.lazy("Checking the units file")
CONFIRMING = i18n.lazy("Importing the units")
IMPORTED = i18n.lazy("Imported: %(inserted)s new units, %(updated)s updated.")


async def _existing(tenant_id: int, keys: list[str]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    for start in range(0, len(keys), imports.BATCH):
        rows = await scoped_objects(Unit, tenant_id).where(
            Unit.address_key.is_in(keys[start:start + imports.BATCH]))
        found.update({u.address_key: u for u in rows})
    return found


async def _buildings(tenant_id: int, names: list[str]) -> dict[str, Building]:
    by_code: dict[str, Building] = {}
    for name in names:
        code = policy.building_code(name)
        if code not in by_code:
            by_code[code] = await building_for(tenant_id, name)
    return by_code


async def _import_rows(tid: int, checked: list[Any], columns: set[str], runner: Runner) -> dict[str, int]:
    buildings = await _buildings(tid, [d.building for d in checked])
    existing = await _existing(tid, [policy.key_of(d) for d in checked])

    def build(counter: progress.Progress) -> tuple[list[Unit], list[Unit]]:
        fresh: list[Unit] = []
        changed: list[Unit] = []
        for data in checked:
            building = buildings[policy.building_code(data.building)]
            u = existing.get(policy.key_of(data))
            if u is None:
                u = Unit(tenant=tid, building=building.id)
                apply_input(u, data, building)
                fresh.append(u)
                continue
            for name in _UPDATED:
                if name in columns or (name == "floor" and "room" in columns):
                    setattr(u, name, getattr(data, name))
            changed.append(u)
        return fresh, changed

    fresh, changed = await runner.in_thread(build)
    for u in changed:
        await u.save([getattr(Unit, name) for name in _UPDATED])
    names = [col._meta.db_column_name for col in _COLUMNS]
    for start in range(0, len(fresh), imports.BATCH):
        lines = [[getattr(u, col._meta.name) for col in _COLUMNS] for u in fresh[start:start + imports.BATCH]]
        await imports.insert_rows(Unit, names, lines)
    return {"inserted": len(fresh), "updated": len(checked) - len(fresh)}


def _row_check(ctx: TenantContext) -> Callable[[dict[str, Any]], tuple[Any, Any]]:
    pack = pack_of(ctx)
    return lambda values: policy.check_unit(values, pack)


STAGED = StagedImports(
    table=UnitImport, noun="unit_import", permission="units.manage",
    jobs=("check_unit_import", "confirm_unit_import"), texts=(CHECKING, CONFIRMING),
    preview_route="units.preview", fallback_name="units",
    check_upload=schemas.check_upload, parse=schemas.parse_file,
    check_rows=lambda ctx, rows: policy.check_rows(rows, pack_of(ctx)), row_check=_row_check,
    write_rows=_import_rows, record=audit.record, start_job=start_job,
)
# The steps every staged import shares (kefu.core.staged_imports): upload -> preview -> confirm or discard.
start_import, preview_import = STAGED.start, STAGED.preview
start_confirm, confirm_import, discard_import = STAGED.start_confirm, STAGED.confirm, STAGED.discard


async def forget_stale_imports() -> int:
    """The sweep: old uploads' stored rows dropped, stale previews discarded (core.imports)."""
    return await STAGED.forget_stale(await active_tenant_ids(), get_settings().job_retention_days)
