"""Importing customers: the staged import of kefu.core.staged_imports, with this module's
file, rules and row writer. A row whose external_ref matches a customer updates the columns
the file has; any other row is a new customer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import progress
from kefu.core.errors import Refused
from kefu.core.imports import insert_rows
from kefu.core.progress import Runner
from kefu.core.scoping import scoped_objects
from kefu.core.staged_imports import ALREADY_IMPORTED as ALREADY_IMPORTED  # for the pages and jobs
from kefu.core.staged_imports import ImportNotClean as ImportNotClean
from kefu.core.staged_imports import StagedImports
from kefu.core.tenancy import TenantContext
from kefu.customers import policy, schemas
from kefu.customers.queries import tags_of
from kefu.customers.schemas import CustomerInput, Filters
from kefu.customers.services.customers import apply_input, set_tags
from kefu.customers.tables import Customer, CustomerImport, CustomerTag
from kefu.db import is_unique_violation
from kefu.settings import get_settings
from kefu.tenancy.queries import active_tenant_ids
from kefu.workers.services import Job, start_job

BATCH = 500
# Customers without a flat are their own household; their key needs the id the insert gave.
_OWN_HOUSEHOLDS = (
    "UPDATE customer SET household = 'c:' || CAST(id AS TEXT) "
    "WHERE tenant_id = {} AND household = ''"
)


class ImportConflict(Refused):
    """Another import or edit added one of the file's numbers at the same moment: this one was
    rolled back whole (its write transaction) and may simply be confirmed again."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("import_conflict", i18n.lazy(
            "Someone added some of these customers at the same moment. "
            "Nothing was imported: confirm again."))
        self.detail = detail


CHECKING = i18n.lazy("Checking the customer file")
CONFIRMING = i18n.lazy("Importing the customers")
IMPORTED = i18n.lazy("Imported: %(inserted)s new customers, %(updated)s updated.")


async def _write_rows(tid: int, checked: list[CustomerInput], columns: set[str], runner: Runner) -> dict[str, int]:
    try:
        return await _import_rows(tid, checked, columns, runner)
    except Exception as exc:
        if is_unique_violation(exc):
            raise ImportConflict(str(exc)) from exc
        raise


def _row_check(ctx: TenantContext) -> Callable[[dict[str, Any]], tuple[CustomerInput, Any]]:
    kind = ctx.tenant.kind
    return lambda values: policy.check_customer(values, kind)


async def _existing(tenant_id: int, refs: list[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    for start in range(0, len(refs), BATCH):
        rows = await scoped_objects(Customer, tenant_id).where(
            Customer.external_ref.is_in(refs[start:start + BATCH])
        )
        found.update({c.external_ref: c for c in rows})
    return found


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


STAGED = StagedImports(
    table=CustomerImport, noun="customer_import", permission="customers.manage",
    jobs=("check_customer_import", "confirm_customer_import"), texts=(CHECKING, CONFIRMING),
    preview_route="customers.preview", fallback_name="customers",
    check_upload=schemas.check_upload, parse=schemas.parse_file,
    check_rows=lambda ctx, rows: policy.check_rows(rows, ctx.tenant.kind), row_check=_row_check,
    write_rows=_write_rows, record=audit.record, start_job=start_job,
)
# The steps every staged import shares (kefu.core.staged_imports): upload -> preview -> confirm or discard.
start_import, preview_import = STAGED.start, STAGED.preview
start_confirm, confirm_import, discard_import = STAGED.start_confirm, STAGED.confirm, STAGED.discard


async def forget_stale_imports() -> int:
    """The sweep: old uploads' stored rows dropped, stale previews discarded (core.imports)."""
    return await STAGED.forget_stale(await active_tenant_ids(), get_settings().job_retention_days)
