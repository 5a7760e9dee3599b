"""Importing customers: a checked upload stored as a preview, then confirmed (or discarded).

Nothing is imported until the file is clean. The confirm step reads the rows stored with the
preview (no second upload) and imports them in one transaction: a row whose external_ref
matches a customer updates the columns the file has; any other row is a new customer. The
preview is claimed with a conditional UPDATE (state preview -> imported), so a second confirm,
or two at once, imports nothing more.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock, progress
from kefu.core.errors import Refused
from kefu.core.forms import clean_text
from kefu.core.imports import forget_rows, insert_rows
from kefu.core.progress import Runner
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.customers import policy, schemas
from kefu.customers.queries import rows_of, tags_of
from kefu.customers.schemas import CustomerInput, Filters, ParsedFile
from kefu.customers.services.customers import apply_input, set_tags
from kefu.customers.tables import Customer, CustomerImport, CustomerTag
from kefu.db import transaction
from kefu.settings import get_settings
from kefu.tenancy.queries import active_tenant_ids
from kefu.workers.services import Job, start_job

BATCH = 500
# Customers without a flat are their own household; their key needs the id the insert gave.
_OWN_HOUSEHOLDS = (
    "UPDATE customer SET household = 'c:' || CAST(id AS TEXT) "
    "WHERE tenant_id = {} AND household = ''"
)


class ImportNotClean(Refused):
    """The preview has row errors (or is done with): nothing may be imported from it."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("import_not_clean", i18n.lazy(
            "This file has errors: correct them and upload it again. Nothing was imported."))
        self.detail = detail


class ImportConflict(Refused):
    """Another import or edit added one of the file's numbers at the same moment: this one was
    rolled back whole (by the caller's savepoint) and may simply be confirmed again."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("import_conflict", i18n.lazy(
            "Someone added some of these customers at the same moment. "
            "Nothing was imported: confirm again."))
        self.detail = detail


def _is_unique_violation(exc: BaseException) -> bool:
    # asyncpg's UniqueViolationError (PostgreSQL) and sqlite3.IntegrityError, without importing
    # either driver here; both name the unique constraint in their message.
    return type(exc).__name__ in ("UniqueViolationError", "IntegrityError") and "unique" in str(exc).lower()


CHECKING = i18n.lazy("Checking the customer file")


def _file_name(filename: str) -> str:
    return clean_text(filename, max_length=len(filename or ""))[0][-255:] or "customers"


async def start_import(ctx: TenantContext, filename: str, content: bytes) -> Job:
    """Store the upload as a job that checks it off the request (check_customer_import) and
    makes its preview. Raises schemas.ImportFileError at once for a file too large, empty or of
    another type; 403."""
    ctx.require("customers.manage")
    filename = _file_name(filename)
    schemas.check_upload(filename, content)
    return await start_job(ctx, "check_customer_import", CHECKING, params={"filename": filename},
                           upload=content)


async def preview_import(ctx: TenantContext, filename: str, content: bytes,
                         runner: Runner = progress.UNWATCHED) -> CustomerImport:
    """Parse and check the file; store rows and errors (state preview). Raises
    schemas.ImportFileError for a file that cannot be used at all; 403. A job's runner
    shows the lines read, then the rows checked, on the job's page."""
    ctx.require("customers.manage")
    filename = _file_name(filename)
    kind = ctx.tenant.kind

    # Parsing and checking are CPU work (an .xlsx is zipped XML): a worker thread, never the event loop.
    def work(counter: progress.Progress) -> tuple[ParsedFile, list[dict[str, Any]]]:
        parsed = schemas.parse_file(filename, content, counter)
        counter.total, counter.done = len(parsed.rows), 0
        errors = policy.check_rows(parsed.rows, kind)
        counter.done = counter.total
        return parsed, errors

    parsed, errors = await runner.in_thread(work)
    imp = CustomerImport(
        tenant=ctx.tenant_id, filename=filename, state="preview", rows=parsed.rows,
        errors=errors, row_count=len(parsed.rows), error_count=len(errors),
        created_by=ctx.user.id,
    )
    async with transaction(ctx.tenant_id, write=True):
        await imp.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="customer_import.upload",
            object_type="customer_import", object_id=imp.id,
            after={"filename": filename, "rows": imp.row_count, "errors": imp.error_count},
        )
    return imp


async def _claim(tenant_id: int, import_id: int, state: str) -> bool:
    """preview -> `state`, only for a clean preview; True if this call changed it."""
    wanted = [CustomerImport.id == import_id, CustomerImport.state == "preview"]
    if state == "imported":
        wanted.append(CustomerImport.error_count == 0)
    changed = await CustomerImport.update({CustomerImport.state: state}).where(
        CustomerImport.tenant == tenant_id, *wanted
    ).returning(CustomerImport.id)
    return len(changed) == 1


CONFIRMING = i18n.lazy("Importing the customers")
IMPORTED = i18n.lazy("Imported: %(inserted)s new customers, %(updated)s updated.")
ALREADY_IMPORTED = i18n.lazy("This file was imported already; nothing more was done.")


async def start_confirm(ctx: TenantContext, import_id: int) -> Job | None:
    """Send a clean preview to a job that imports it (confirm_customer_import); None when the
    file was imported already (nothing to do). Raises ImportNotClean, 403, 404."""
    ctx.require("customers.manage")
    async with transaction(ctx.tenant_id, write=False):
        found = await scoped(CustomerImport, ctx.tenant_id, CustomerImport.state, CustomerImport.error_count).where(
            CustomerImport.id == import_id).first()
    if found is None:
        raise NotFoundException()
    if found["state"] == "imported":
        return None
    if "confirm" not in policy.import_actions(found["state"], found["error_count"]):
        raise ImportNotClean(found["state"])
    back = {"route": "customers.preview", "params": {"import_id": import_id}}
    return await start_job(ctx, "confirm_customer_import", CONFIRMING, params={"import_id": import_id, "back": back})


async def confirm_import(ctx: TenantContext, import_id: int, runner: Runner = progress.UNWATCHED,
                         ) -> tuple[CustomerImport, dict[str, int] | None]:
    """Import a clean preview: (the import, {"inserted": n, "updated": m}); None for the
    counts when it was imported already (nothing done). Raises ImportNotClean,
    ImportConflict, 403, 404. The rows are checked again (in a thread) before the write
    transaction opens; the rows are written in that one transaction."""
    ctx.require("customers.manage")
    async with transaction(ctx.tenant_id, write=False):
        imp = await get_in_tenant(CustomerImport, ctx.tenant_id, import_id)
    if imp.state == "imported":
        return imp, None
    if "confirm" not in policy.import_actions(imp.state, imp.error_count):
        raise ImportNotClean(imp.state)
    checked = await _checked(ctx.tenant.kind, rows_of(imp), runner)
    columns = set(rows_of(imp)[0]["values"]) if imp.row_count else set()
    async with transaction(ctx.tenant_id, write=True):
        if not await _claim(ctx.tenant_id, imp.id, "imported"):
            imp = await get_in_tenant(CustomerImport, ctx.tenant_id, import_id)
            return imp, None  # another confirm got there first
        try:
            counts = await _import_rows(ctx.tenant_id, checked, columns, runner)
        except Exception as exc:
            if _is_unique_violation(exc):
                raise ImportConflict(str(exc)) from exc
            raise
        imp.state, imp.imported_at = "imported", clock.now()
        imp.imported_count = counts["inserted"] + counts["updated"]
        await imp.save([CustomerImport.state, CustomerImport.imported_at, CustomerImport.imported_count])
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="customer_import.confirm",
            object_type="customer_import", object_id=imp.id,
            after={"filename": imp.filename, **counts},
        )
    return imp, counts


async def discard_import(ctx: TenantContext, import_id: int) -> CustomerImport:
    ctx.require("customers.manage")
    async with transaction(ctx.tenant_id, write=True):
        imp = await get_in_tenant(CustomerImport, ctx.tenant_id, import_id)
        if await _claim(ctx.tenant_id, imp.id, "discarded"):
            imp.state = "discarded"
            await audit.record(
                tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="customer_import.discard",
                object_type="customer_import", object_id=imp.id, after={"filename": imp.filename},
            )
    return imp


async def _existing(tenant_id: int, refs: list[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    for start in range(0, len(refs), BATCH):
        rows = await scoped_objects(Customer, tenant_id).where(
            Customer.external_ref.is_in(refs[start:start + BATCH])
        )
        found.update({c.external_ref: c for c in rows})
    return found


async def _checked(kind: str, rows: list[dict[str, Any]], runner: Runner) -> list[CustomerInput]:
    """Every stored row checked again (the rules may have changed since the preview), in a
    thread: 20,000 rows held the event loop for seconds."""

    def check(counter: progress.Progress) -> list[CustomerInput]:
        counter.total = len(rows)
        checked = []
        for item in rows:
            data, errors = policy.check_customer(item["values"], kind)
            if errors:  # the stored preview was clean; rules changed since? import nothing
                raise ImportNotClean(f"row {item['row']}")
            checked.append(data)
            counter.done += 1
        return checked

    return await runner.in_thread(check)


async def _import_rows(tid: int, checked: list[CustomerInput], columns: set[str], runner: Runner) -> dict[str, int]:
    existing = await _existing(tid, [d.external_ref for d in checked if d.external_ref])
    old_tags = await tags_of(tid, [c.id for c in existing.values()]) if "tags" in columns else {}

    def build(counter: progress.Progress) -> tuple[list[tuple[Customer, list[str]]], list[Customer], list[tuple[int, list[str]]]]:
        fresh: list[tuple[Customer, list[str]]] = []
        changed: list[Customer] = []
        retagged: list[tuple[int, list[str]]] = []
        for data in checked:
            c = existing.get(data.external_ref) if data.external_ref else None
            if c is None:
                c = Customer(tenant=tid)
                apply_input(c, data)
                fresh.append((c, data.tags))
                continue
            before = _state(c)
            apply_input(c, data, columns)
            if _state(c) != before:  # a file imported again changes nothing it need not
                changed.append(c)
            if "tags" in columns and old_tags.get(c.id) != data.tags:
                retagged.append((c.id, data.tags))
        return fresh, changed, retagged

    fresh, changed, retagged = await runner.in_thread(build)
    for c in changed:
        await c.save()
    for customer_id, tags in retagged:
        await set_tags(tid, customer_id, tags)
    await _insert(tid, fresh)
    return {"inserted": len(fresh), "updated": len(checked) - len(fresh)}


def _state(c: Customer) -> tuple:
    return tuple(getattr(c, col._meta.name) for col in _COLUMNS if col._meta.name != "updated_at")


# Every column but the id, in table order: one parameterised INSERT per batch (core.imports).
_COLUMNS = [col for col in Customer._meta.columns if not col._meta.primary_key]


async def _insert(tenant_id: int, fresh: list[tuple[Customer, list[str]]]) -> None:
    names = [col._meta.db_column_name for col in _COLUMNS]
    for start in range(0, len(fresh), BATCH):
        batch = fresh[start:start + BATCH]
        lines = [[getattr(c, col._meta.name) for col in _COLUMNS] for c, _ in batch]
        ids = await insert_rows(Customer, names, lines)
        tags = [[tenant_id, cid, tag] for cid, (_, row_tags) in zip(ids, batch, strict=True)
                for tag in row_tags]
        for t_start in range(0, len(tags), BATCH):
            await insert_rows(CustomerTag, ["tenant_id", "customer_id", "tag"],
                              tags[t_start:t_start + BATCH])
    if fresh:
        await Customer.raw(_OWN_HOUSEHOLDS, tenant_id)


EXPORTING = i18n.lazy("Preparing the customer export")


async def start_export(ctx: TenantContext, filters: Filters) -> Job:
    """A large export of the filtered list, written by a job (export_customers); 403."""
    ctx.require("customers.view")
    return await start_job(ctx, "export_customers", EXPORTING, params={
        "filters": dict(filters.__dict__), "back": {"route": "customers.list", "params": {}}})


async def forget_stale_imports() -> int:
    """The sweep: old uploads' stored rows dropped, stale previews discarded (core.imports)."""
    before = clock.now() - timedelta(days=get_settings().job_retention_days)
    return await forget_rows(CustomerImport, await active_tenant_ids(), before)
