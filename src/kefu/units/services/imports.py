"""Importing units: a checked upload stored as a preview, then confirmed (or discarded).

Nothing is imported until the file is clean. The confirm step reads the rows stored with the
preview (no second upload) and imports them in one transaction: a row whose address names a
unit the centre has updates the columns the file has; any other row is a new unit (its
building made when new). The preview is claimed with a conditional UPDATE (preview ->
imported), so a second confirm, or two at once, imports nothing more.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock, imports, progress
from kefu.core.errors import Refused
from kefu.core.forms import clean_text
from kefu.core.progress import Runner
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.core.uploads import ParsedFile
from kefu.db import transaction
from kefu.settings import get_settings
from kefu.tenancy.queries import active_tenant_ids
from kefu.units import policy, schemas
from kefu.units.services.units import apply_input, building_for, pack_of
from kefu.units.tables import Building, Unit, UnitImport
from kefu.workers.services import Job, start_job

# Every column but the id, in table order: one parameterised INSERT per batch.
_COLUMNS = [col for col in Unit._meta.columns if not col._meta.primary_key]
_UPDATED = ("floor", "area", "use", "notes")


class ImportNotClean(Refused):
    """The preview has row errors (or is done with): nothing may be imported from it."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("import_not_clean", i18n.lazy(
            "This file has errors: correct them and upload it again. Nothing was imported."))
        self.detail = detail


CHECKING = i18n.lazy("Checking the units file")


def _file_name(filename: str) -> str:
    return clean_text(filename, max_length=len(filename or ""))[0][-255:] or "units"


async def start_import(ctx: TenantContext, filename: str, content: bytes) -> Job:
    """Store the upload as a job that checks it off the request (check_unit_import) and makes
    its preview. Raises schemas.ImportFileError at once for a file too large, empty or of
    another type; 403."""
    ctx.require("units.manage")
    filename = _file_name(filename)
    schemas.check_upload(filename, content)
    return await start_job(ctx, "check_unit_import", CHECKING, params={"filename": filename}, upload=content)


async def preview_import(ctx: TenantContext, filename: str, content: bytes,
                         runner: Runner = progress.UNWATCHED) -> UnitImport:
    """Parse and check the file; store rows and errors (state preview). Raises
    schemas.ImportFileError for a file that cannot be used at all; 403."""
    ctx.require("units.manage")
    filename = _file_name(filename)
    pack = pack_of(ctx)

    # CPU work (an .xlsx is zipped XML): a worker thread, never the event loop.
    def work(counter: progress.Progress) -> tuple[ParsedFile, list[dict[str, Any]]]:
        parsed = schemas.parse_file(filename, content, counter)
        counter.total, counter.done = len(parsed.rows), 0
        errors = policy.check_rows(parsed.rows, pack)
        counter.done = counter.total
        return parsed, errors

    parsed, errors = await runner.in_thread(work)
    imp = UnitImport(
        tenant=ctx.tenant_id, filename=filename, state="preview", rows=parsed.rows,
        errors=errors, row_count=len(parsed.rows), error_count=len(errors), created_by=ctx.user.id,
    )
    async with transaction(ctx.tenant_id, write=True):
        await imp.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="unit_import.upload",
            object_type="unit_import", object_id=imp.id,
            after={"filename": filename, "rows": imp.row_count, "errors": imp.error_count},
        )
    return imp


async def _claim(tenant_id: int, import_id: int, state: str) -> bool:
    """preview -> `state`, only for a clean preview when importing; True if this call changed it."""
    wanted = [UnitImport.id == import_id, UnitImport.state == "preview"]
    if state == "imported":
        wanted.append(UnitImport.error_count == 0)
    changed = await UnitImport.update({UnitImport.state: state}).where(
        UnitImport.tenant == tenant_id, *wanted
    ).returning(UnitImport.id)
    return len(changed) == 1


CONFIRMING = i18n.lazy("Importing the units")
IMPORTED = i18n.lazy("Imported: %(inserted)s new units, %(updated)s updated.")
ALREADY_IMPORTED = i18n.lazy("This file was imported already; nothing more was done.")


async def start_confirm(ctx: TenantContext, import_id: int) -> Job | None:
    """Send a clean preview to a job that imports it (confirm_unit_import); None when the file
    was imported already (nothing to do). Raises ImportNotClean, 403, 404."""
    ctx.require("units.manage")
    async with transaction(ctx.tenant_id, write=False):
        found = await scoped(UnitImport, ctx.tenant_id, UnitImport.state, UnitImport.error_count).where(
            UnitImport.id == import_id).first()
    if found is None:
        raise NotFoundException()
    if found["state"] == "imported":
        return None
    if "confirm" not in policy.import_actions(found["state"], found["error_count"]):
        raise ImportNotClean(found["state"])
    back = {"route": "units.preview", "params": {"import_id": import_id}}
    return await start_job(ctx, "confirm_unit_import", CONFIRMING, params={"import_id": import_id, "back": back})


async def confirm_import(ctx: TenantContext, import_id: int, runner: Runner = progress.UNWATCHED,
                         ) -> tuple[UnitImport, dict[str, int] | None]:
    """Import a clean preview: (the import, {"inserted": n, "updated": m}); None for the counts
    when it was imported already (nothing done). Raises ImportNotClean, 403, 404. The rows are
    checked again in a thread before the write transaction opens."""
    ctx.require("units.manage")
    async with transaction(ctx.tenant_id, write=False):
        imp = await get_in_tenant(UnitImport, ctx.tenant_id, import_id)
    if imp.state == "imported":
        return imp, None
    if "confirm" not in policy.import_actions(imp.state, imp.error_count):
        raise ImportNotClean(imp.state)
    rows = imports.loaded(imp.rows) or []
    checked = await _checked(pack_of(ctx), rows, runner)
    async with transaction(ctx.tenant_id, write=True):
        if not await _claim(ctx.tenant_id, imp.id, "imported"):
            return await get_in_tenant(UnitImport, ctx.tenant_id, import_id), None
        counts = await _import_rows(ctx.tenant_id, checked, set(rows[0]["values"]) if rows else set(), runner)
        imp.state, imp.imported_at = "imported", clock.now()
        imp.imported_count = counts["inserted"] + counts["updated"]
        await imp.save([UnitImport.state, UnitImport.imported_at, UnitImport.imported_count])
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="unit_import.confirm",
            object_type="unit_import", object_id=imp.id, after={"filename": imp.filename, **counts},
        )
    return imp, counts


async def discard_import(ctx: TenantContext, import_id: int) -> UnitImport:
    ctx.require("units.manage")
    async with transaction(ctx.tenant_id, write=True):
        imp = await get_in_tenant(UnitImport, ctx.tenant_id, import_id)
        if await _claim(ctx.tenant_id, imp.id, "discarded"):
            imp.state = "discarded"
            await audit.record(
                tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="unit_import.discard",
                object_type="unit_import", object_id=imp.id, after={"filename": imp.filename},
            )
    return imp


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


async def _checked(pack: Any, rows: list[dict[str, Any]], runner: Runner) -> list[Any]:
    """Every stored row checked again (the pack may have changed since the preview), in a thread."""

    def check(counter: progress.Progress) -> list[Any]:
        counter.total = len(rows)
        checked = []
        for item in rows:
            data, errors = policy.check_unit(item["values"], pack)
            if errors:  # the stored preview was clean; the pack changed since? import nothing
                raise ImportNotClean(f"row {item['row']}")
            checked.append(data)
            counter.done += 1
        return checked

    return await runner.in_thread(check)


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


async def forget_stale_imports() -> int:
    """The sweep: old uploads' stored rows dropped, stale previews discarded (core.imports)."""
    before = clock.now() - timedelta(days=get_settings().job_retention_days)
    return await imports.forget_rows(UnitImport, await active_tenant_ids(), before)
