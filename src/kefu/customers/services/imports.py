"""Importing customers: a checked upload stored as a preview, then confirmed (or discarded).

Nothing is imported until the file is clean. The confirm step reads the rows stored with the
preview (no second upload) and imports them in one transaction: a row whose external_ref
matches a customer updates the columns the file has; any other row is a new customer. The
preview is claimed with a conditional UPDATE (state preview -> imported), so a second confirm,
or two at once, imports nothing more.
"""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.forms import clean_text
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.customers import policy, schemas
from kefu.customers.queries import rows_of, tags_of
from kefu.customers.services.customers import apply_input, set_tags
from kefu.customers.tables import Customer, CustomerImport
from kefu.db import transaction

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


async def preview_import(ctx: TenantContext, filename: str, content: bytes) -> CustomerImport:
    """Parse and check the file; store rows and errors (state preview). Raises
    schemas.ImportFileError for a file that cannot be used at all; 403."""
    ctx.require("customers.manage")
    filename = clean_text(filename, max_length=len(filename or ""))[0][-255:] or "customers"
    parsed = schemas.parse_file(filename, content)
    errors = policy.check_rows(parsed.rows, ctx.tenant.kind)
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


async def confirm_import(ctx: TenantContext, import_id: int) -> tuple[CustomerImport, dict[str, int] | None]:
    """Import a clean preview: (the import, {"inserted": n, "updated": m}); None for the
    counts when it was imported already (nothing done). Raises ImportNotClean,
    ImportConflict, 403, 404."""
    ctx.require("customers.manage")
    async with transaction(ctx.tenant_id, write=True):
        imp = await get_in_tenant(CustomerImport, ctx.tenant_id, import_id)
        if imp.state == "imported":
            return imp, None
        if "confirm" not in policy.import_actions(imp.state, imp.error_count):
            raise ImportNotClean(imp.state)
        if not await _claim(ctx.tenant_id, imp.id, "imported"):
            imp = await get_in_tenant(CustomerImport, ctx.tenant_id, import_id)
            return imp, None  # another confirm got there first
        try:
            counts = await _import_rows(ctx, rows_of(imp))
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


async def _import_rows(ctx: TenantContext, rows: list[dict[str, Any]]) -> dict[str, int]:
    tid = ctx.tenant_id
    columns = set(rows[0]["values"]) if rows else set()
    checked = []
    for item in rows:
        data, errors = policy.check_customer(item["values"], ctx.tenant.kind)
        if errors:  # the stored preview was clean; rules changed since? import nothing
            raise ImportNotClean(f"row {item['row']}")
        checked.append(data)
    existing = await _existing(tid, [d.external_ref for d in checked if d.external_ref])
    old_tags = await tags_of(tid, [c.id for c in existing.values()]) if "tags" in columns else {}
    fresh: list[tuple[Customer, list[str]]] = []
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
            await c.save()
        if "tags" in columns and old_tags.get(c.id) != data.tags:
            await set_tags(tid, c.id, data.tags)
    await _insert(tid, fresh)
    return {"inserted": len(fresh), "updated": len(checked) - len(fresh)}


def _state(c: Customer) -> tuple:
    return tuple(getattr(c, col._meta.name) for col in _COLUMNS if col._meta.name != "updated_at")


# Every column but the id, in table order: one parameterised INSERT per batch. Piccolo's own
# multi-row insert builds its SQL about six times slower (20,000 rows: ~20 s on SQLite).
_COLUMNS = [col for col in Customer._meta.columns if not col._meta.primary_key]


async def _raw_insert(table: str, names: list[str], values: list[list[Any]]) -> list[int]:
    row = "(" + ", ".join("{}" for _ in names) + ")"
    sql = (f"INSERT INTO {table} ({', '.join(names)}) VALUES "  # noqa: S608 - names are ours
           + ", ".join(row for _ in values) + " RETURNING id")
    made = await Customer.raw(sql, *(v for line in values for v in line))
    # One INSERT … VALUES numbers its rows in order on both engines.
    return sorted(r["id"] for r in made)


async def _insert(tenant_id: int, fresh: list[tuple[Customer, list[str]]]) -> None:
    names = [col._meta.db_column_name for col in _COLUMNS]
    for start in range(0, len(fresh), BATCH):
        batch = fresh[start:start + BATCH]
        lines = [[getattr(c, col._meta.name) for col in _COLUMNS] for c, _ in batch]
        ids = await _raw_insert("customer", names, lines)
        tags = [[tenant_id, cid, tag] for cid, (_, row_tags) in zip(ids, batch, strict=True)
                for tag in row_tags]
        for t_start in range(0, len(tags), BATCH):
            await _raw_insert("customer_tag", ["tenant_id", "customer_id", "tag"],
                              tags[t_start:t_start + BATCH])
    if fresh:
        await Customer.raw(_OWN_HOUSEHOLDS, tenant_id)
