"""A table import in two steps, written once for every module that imports rows (customers,
units): an upload checked by a job and stored as a preview, then confirmed by a second job (or
discarded).

Nothing is imported until the file is clean. The confirm step reads the rows stored with the
preview (no second upload), checks them again in a thread (the rules may have changed since),
and writes them in one transaction. The preview is claimed with a conditional UPDATE (preview ->
imported), so a second confirm, or two at once, imports nothing more.

Core imports no module: what a module owns (its table, parser and rules, its row writer) and the
two services every import uses (the audit trail, the job runner) come in as a StagedImports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from litestar.exceptions import NotFoundException
from piccolo.columns import JSON, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow

from kefu import i18n
from kefu.core import clock, imports, progress
from kefu.core.errors import Refused
from kefu.core.forms import clean_text
from kefu.core.progress import Runner
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.core.uploads import ParsedFile
from kefu.db import transaction


class StagedImportColumns:
    """The columns of an import table (mixed into a module's own, as TenantOwned is): the file's
    checked rows with their per-row errors, kept until confirmed or discarded. The table adds
    its tenant and `created_by` (core imports no module's table)."""

    filename = Varchar(length=255)
    state = Varchar(length=10, default="preview")  # preview | imported | discarded
    rows = JSON(default="[]")
    errors = JSON(default="[]")
    row_count = Integer(default=0)
    error_count = Integer(default=0)
    imported_count = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    imported_at = Timestamptz(null=True, default=None)


# A Piccolo table with StagedImportColumns, a tenant and created_by. Typed loosely: Piccolo's
# Table declares none of them.
ImportTable = Any

ALREADY_IMPORTED = i18n.lazy("This file was imported already; nothing more was done.")

# (context, rows) -> the rows' problems, and one row's values -> (checked input, problems).
RowsCheck = Callable[[TenantContext, list[dict[str, Any]]], list[dict[str, Any]]]
RowCheck = Callable[[dict[str, Any]], tuple[Any, Any]]
# (tenant id, checked rows, the file's columns, runner) -> {"inserted": n, "updated": m}
RowWriter = Callable[[int, list[Any], set[str], Runner], Awaitable[dict[str, int]]]


class ImportNotClean(Refused):
    """The preview has row errors (or is done with): nothing may be imported from it."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("import_not_clean", i18n.lazy(
            "This file has errors: correct them and upload it again. Nothing was imported."))
        self.detail = detail


def import_actions(state: str, error_count: int) -> frozenset[str]:
    """What may be done with a stored import: a clean preview may be confirmed; any preview may
    be discarded; an imported or discarded file is done with."""
    if state != "preview":
        return frozenset()
    return frozenset({"discard"} if error_count else {"confirm", "discard"})


async def recent_imports(ctx: TenantContext, table: ImportTable, permission: str, limit: int = 20,
                         ) -> list[dict[str, Any]]:
    ctx.require(permission)
    t = table
    return await scoped(
        t, ctx.tenant_id, t.id, t.filename, t.state, t.row_count, t.error_count, t.imported_count, t.created_at,
    ).order_by(t.id, ascending=False).limit(limit)


async def import_page(ctx: TenantContext, table: ImportTable, permission: str, import_id: int) -> dict[str, Any]:
    """One stored import as its page shows it (core.imports.preview) and what may be done with it. 403, 404."""
    ctx.require(permission)
    imp = await get_in_tenant(table, ctx.tenant_id, import_id)
    rows, errors = imports.loaded(imp.rows) or [], imports.loaded(imp.errors) or []
    return {"imp": imp, **imports.preview(rows, errors), "actions": import_actions(imp.state, imp.error_count)}


@dataclass(frozen=True)
class StagedImports:
    table: ImportTable          # CustomerImport, UnitImport: one row per uploaded file
    noun: str                   # "customer_import": the audit object type and action prefix
    permission: str             # "customers.manage"
    jobs: tuple[str, str]       # the check job and the confirm job
    texts: tuple[Any, Any]      # their titles (lazy texts)
    preview_route: str          # the page a confirm job leads back to
    fallback_name: str          # a file name made only of control characters becomes this
    check_upload: Callable[[str, bytes], None]           # too large, empty, another type: raises
    parse: Callable[[str, bytes, progress.Progress], ParsedFile]
    check_rows: RowsCheck
    row_check: Callable[[TenantContext], RowCheck]
    write_rows: RowWriter
    record: Callable[..., Awaitable[Any]]                # the audit trail's record
    start_job: Callable[..., Awaitable[Any]]             # the job runner's start_job

    def file_name(self, filename: str) -> str:
        return clean_text(filename, max_length=len(filename or ""))[0][-255:] or self.fallback_name

    async def start(self, ctx: TenantContext, filename: str, content: bytes) -> Any:
        """Store the upload as a job that checks it off the request and makes its preview.
        Raises the module's upload error at once for a file too large, empty or of another type; 403."""
        ctx.require(self.permission)
        filename = self.file_name(filename)
        self.check_upload(filename, content)
        return await self.start_job(ctx, self.jobs[0], self.texts[0], params={"filename": filename}, upload=content)

    async def preview(self, ctx: TenantContext, filename: str, content: bytes,
                      runner: Runner = progress.UNWATCHED) -> Any:
        """Parse and check the file (in a thread: an .xlsx is zipped XML); store its rows and
        errors as a preview. A job's runner shows the lines read, then the rows checked."""
        ctx.require(self.permission)
        filename = self.file_name(filename)

        def work(counter: progress.Progress) -> tuple[ParsedFile, list[dict[str, Any]]]:
            parsed = self.parse(filename, content, counter)
            counter.total, counter.done = len(parsed.rows), 0
            errors = self.check_rows(ctx, parsed.rows)
            counter.done = counter.total
            return parsed, errors

        parsed, errors = await runner.in_thread(work)
        imp = self.table(
            tenant=ctx.tenant_id, filename=filename, state="preview", rows=parsed.rows, errors=errors,
            row_count=len(parsed.rows), error_count=len(errors), created_by=ctx.user.id,
        )
        async with transaction(ctx.tenant_id, write=True):
            await imp.save()
            await self._audit(ctx, "upload", imp, rows=imp.row_count, errors=imp.error_count)
        return imp

    async def start_confirm(self, ctx: TenantContext, import_id: int) -> Any | None:
        """Send a clean preview to the job that imports it; None when the file was imported
        already (nothing to do). Raises ImportNotClean, 403, 404."""
        ctx.require(self.permission)
        t = self.table
        async with transaction(ctx.tenant_id, write=False):
            found = await scoped(t, ctx.tenant_id, t.state, t.error_count).where(t.id == import_id).first()
        if found is None:
            raise NotFoundException()
        if found["state"] == "imported":
            return None
        if "confirm" not in import_actions(found["state"], found["error_count"]):
            raise ImportNotClean(found["state"])
        back = {"route": self.preview_route, "params": {"import_id": import_id}}
        return await self.start_job(ctx, self.jobs[1], self.texts[1], params={"import_id": import_id, "back": back})

    async def confirm(self, ctx: TenantContext, import_id: int, runner: Runner = progress.UNWATCHED,
                      ) -> tuple[Any, dict[str, int] | None]:
        """Import a clean preview: (the import, {"inserted": n, "updated": m}); None for the
        counts when it was imported already (nothing done). Raises ImportNotClean, 403, 404,
        and whatever the row writer raises (its transaction rolls back whole)."""
        ctx.require(self.permission)
        async with transaction(ctx.tenant_id, write=False):
            imp = await get_in_tenant(self.table, ctx.tenant_id, import_id)
        if imp.state == "imported":
            return imp, None
        if "confirm" not in import_actions(imp.state, imp.error_count):
            raise ImportNotClean(imp.state)
        rows = imports.loaded(imp.rows) or []
        checked = await self._checked(ctx, rows, runner)
        async with transaction(ctx.tenant_id, write=True):
            if not await self._claim(ctx.tenant_id, imp.id, "imported"):
                return await get_in_tenant(self.table, ctx.tenant_id, import_id), None  # another confirm won
            counts = await self.write_rows(ctx.tenant_id, checked, set(rows[0]["values"]) if rows else set(), runner)
            imp.state, imp.imported_at = "imported", clock.now()
            imp.imported_count = counts["inserted"] + counts["updated"]
            await imp.save([self.table.state, self.table.imported_at, self.table.imported_count])
            await self._audit(ctx, "confirm", imp, **counts)
        return imp, counts

    async def discard(self, ctx: TenantContext, import_id: int) -> Any:
        ctx.require(self.permission)
        async with transaction(ctx.tenant_id, write=True):
            imp = await get_in_tenant(self.table, ctx.tenant_id, import_id)
            if await self._claim(ctx.tenant_id, imp.id, "discarded"):
                imp.state = "discarded"
                await self._audit(ctx, "discard", imp)
        return imp

    async def forget_stale(self, tenant_ids: list[int], retention_days: int) -> int:
        """The sweep: old uploads' stored rows dropped, stale previews discarded (core.imports)."""
        return await imports.forget_rows(self.table, tenant_ids, clock.now() - timedelta(days=retention_days))

    async def _claim(self, tenant_id: int, import_id: int, state: str) -> bool:
        """preview -> `state`, only for a clean preview when importing; True if this call changed it."""
        t = self.table
        wanted = [t.id == import_id, t.state == "preview"]
        if state == "imported":
            wanted.append(t.error_count == 0)
        changed = await t.update({t.state: state}).where(t.tenant == tenant_id, *wanted).returning(t.id)
        return len(changed) == 1

    async def _checked(self, ctx: TenantContext, rows: list[dict[str, Any]], runner: Runner) -> list[Any]:
        """Every stored row checked again, in a thread: 20,000 rows held the event loop for seconds."""
        check_one = self.row_check(ctx)

        def check(counter: progress.Progress) -> list[Any]:
            counter.total = len(rows)
            checked = []
            for item in rows:
                data, errors = check_one(item["values"])
                if errors:  # the stored preview was clean; the rules changed since? import nothing
                    raise ImportNotClean(f"row {item['row']}")
                checked.append(data)
                counter.done += 1
            return checked

        return await runner.in_thread(check)

    async def _audit(self, ctx: TenantContext, verb: str, imp: Any, **after: Any) -> None:
        await self.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"{self.noun}.{verb}",
            object_type=self.noun, object_id=imp.id, after={"filename": imp.filename, **after},
        )
