"""Customer reads: the searched, filtered and paged list, its export, the filter menus, one
customer's page and edit form, the match a complaint uses to find its customer, and the
imports (recent uploads, one stored preview). Scoped to the tenant (kefu.core.scoping).
"""

from __future__ import annotations

import asyncio
from typing import Any

from kefu import i18n
from kefu.core import excel, phones, staged_imports
from kefu.core.labels import Labels
from kefu.core.paging import Page, page_number
from kefu.core.progress import Runner
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.customers import policy
from kefu.customers.schemas import FIELD_LABELS, Filters
from kefu.customers.tables import Customer, CustomerImport, CustomerTag
from kefu.db import is_postgres, transaction

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
# Up to this many rows the list's export is written in the request (in a thread); a larger one
# is prepared by a job (kefu.workers.services) whose page offers the file when it is ready.
SYNC_EXPORT_ROWS = 2_000
LIST_COLUMNS = (
    Customer.id, Customer.kind, Customer.name, Customer.phone, Customer.email,
    Customer.external_ref, Customer.building, Customer.unit, Customer.consent_contact,
    Customer.preferred_channel, Customer.is_active,
)
EXPORT_FIELDS = (
    "name", "kind", "phone", "email", "postal_address", "external_ref", "building", "unit",
    "consent", "preferred_channel", "tags", "notes",
)


def _like(text: str) -> str:
    return "%" + text.replace("%", "").replace("_", "").replace("\\", "") + "%"


def _search(q: str) -> Any:
    pattern = _like(q)
    # SQLite's LIKE ignores ASCII case already (and has no ILIKE).
    like = (lambda col: col.ilike(pattern)) if is_postgres() else (lambda col: col.like(pattern))
    match = (
        like(Customer.name) | like(Customer.external_ref) | like(Customer.email)
        | like(Customer.building) | like(Customer.unit)
    )
    phone = phones.normalise(q)
    if phone:
        match = match | Customer.phone.like(_like(phone))
    flat = policy.flat_query_household(q)
    if flat:  # "3-2-1501": building 3, flat 2-1501, however the flat was typed
        match = match | (Customer.household == flat)
    return match


def conditions(tenant_id: int, f: Filters) -> list[Any]:
    found: list[Any] = []
    if f.q:
        found.append(_search(f.q))
    if f.kind:
        found.append(Customer.kind == f.kind)
    if f.building:
        found.append(Customer.building == f.building)
    if f.tag:
        tagged = scoped(CustomerTag, tenant_id, CustomerTag.customer).where(CustomerTag.tag == f.tag)
        found.append(Customer.id.is_in(tagged))
    return found


async def tags_of(tenant_id: int, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = await scoped(
            CustomerTag, tenant_id, CustomerTag.customer.as_alias("customer"), CustomerTag.tag
        ).where(
            CustomerTag.customer.is_in(chunk)
        ).order_by(CustomerTag.id)
        for r in rows:
            found[r["customer"]].append(r["tag"])
    return found


async def _with_tags(tenant_id: int, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tags = await tags_of(tenant_id, [r["id"] for r in rows])
    for r in rows:
        r["tags"] = tags[r["id"]]
    return rows


async def search_customers(ctx: TenantContext, f: Filters, raw_page: str | None) -> Page:
    ctx.require("customers.view")
    number = page_number(raw_page)
    where = conditions(ctx.tenant_id, f)
    rows = await scoped(Customer, ctx.tenant_id, *LIST_COLUMNS).where(*where).order_by(
        Customer.name
    ).order_by(Customer.id).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(Customer, ctx.tenant_id).where(*where)
    return Page(await _with_tags(ctx.tenant_id, rows), number, PAGE_SIZE, total)


async def export_rows(ctx: TenantContext, f: Filters) -> list[dict[str, Any]]:
    ctx.require("customers.view")
    rows = await scoped(
        Customer, ctx.tenant_id, *LIST_COLUMNS, Customer.postal_address, Customer.consent_at,
        Customer.notes,
    ).where(*conditions(ctx.tenant_id, f)).order_by(Customer.name).order_by(Customer.id).limit(
        EXPORT_LIMIT
    )
    return await _with_tags(ctx.tenant_id, rows)


def workbook(rows: list[dict[str, Any]], tz: str) -> bytes:
    """The customers as XLSX, headed with the field labels the import reads back."""
    headers = [i18n.gettext(FIELD_LABELS[f]) for f in EXPORT_FIELDS] + [
        i18n.gettext("Consent given at"), i18n.gettext("Active")]
    yes, no = i18n.gettext("Yes"), i18n.gettext("No")

    def line(r: dict[str, Any]) -> list[Any]:
        values = {
            **r, "kind": policy.KIND_LABELS(r["kind"]),
            "consent": yes if r["consent_contact"] else no,
            "preferred_channel": policy.CHANNEL_LABELS(r["preferred_channel"]),
            "tags": "，".join(r["tags"]),
        }
        return [values[f] for f in EXPORT_FIELDS] + [r["consent_at"], yes if r["is_active"] else no]

    return excel.table(i18n.gettext("Customers"), headers, (line(r) for r in rows), tz=tz, total=len(rows))


async def export_customers(ctx: TenantContext, f: Filters) -> bytes:
    """The filtered list as a workbook, written off the event loop (the locale travels in
    the context)."""
    rows = await export_rows(ctx, f)
    return await asyncio.to_thread(workbook, rows, ctx.tenant.timezone)


async def export_count(ctx: TenantContext, f: Filters) -> int:
    return await scoped_count(Customer, ctx.tenant_id).where(*conditions(ctx.tenant_id, f))


async def export_file(ctx: TenantContext, f: Filters, runner: Runner) -> tuple[str, bytes]:
    """(file name, workbook) of the filtered list, for the export job; written in a thread."""
    async with transaction(ctx.tenant_id, write=False):  # a job has no request transaction: RLS needs the tenant
        rows = await export_rows(ctx, f)
    tz = ctx.tenant.timezone
    return f"customers-{ctx.tenant.slug}.xlsx", await runner.in_thread(lambda _: workbook(rows, tz))


async def filter_choices(ctx: TenantContext) -> dict[str, list[str]]:
    """The tags and buildings in use, for the list's filter menus."""
    tags = await scoped(CustomerTag, ctx.tenant_id, CustomerTag.tag).distinct().order_by(
        CustomerTag.tag
    ).limit(500)
    buildings = await scoped(Customer, ctx.tenant_id, Customer.building).where(
        Customer.building != ""
    ).distinct().order_by(Customer.building).limit(500)
    return {"tags": [r["tag"] for r in tags], "buildings": [r["building"] for r in buildings]}


async def get_customer(ctx: TenantContext, customer_id: int) -> Customer:
    ctx.require("customers.view")
    return await get_in_tenant(Customer, ctx.tenant_id, customer_id)


async def match_customer(tenant_id: int, phone: str, email: str) -> int | None:
    """The one active customer with this phone or email, else None (none, or several: a
    shared family phone must not pick one of them at random)."""
    phone = phones.normalise(phone) or ""
    email = policy.normalise_email(email) or ""
    if not phone and not email:
        return None
    by_phone, by_email = Customer.phone == phone, Customer.email == email
    found = (by_phone | by_email) if phone and email else (by_phone if phone else by_email)
    rows = await scoped(Customer, tenant_id, Customer.id).where(
        Customer.is_active.eq(True), found
    ).limit(2)
    return rows[0]["id"] if len(rows) == 1 else None


def form_values(c: Customer, tags: list[str]) -> dict[str, str]:
    """A customer as the edit form shows it."""
    return {
        "name": c.name, "kind": c.kind, "phone": c.phone, "email": c.email,
        "postal_address": c.postal_address, "external_ref": c.external_ref,
        "building": c.building, "unit": c.unit, "consent": "1" if c.consent_contact else "",
        "preferred_channel": c.preferred_channel, "tags": "，".join(tags), "notes": c.notes,
        "is_active": "1" if c.is_active else "",
    }


async def customer_page(ctx: TenantContext, customer_id: int) -> dict[str, Any]:
    """The customer with their tags. 403, 404. (The page loads the customer's complaints and
    survey invitations from those modules' routes: they name the customer, not the reverse.)"""
    c = await get_customer(ctx, customer_id)
    tags = (await tags_of(ctx.tenant_id, [c.id]))[c.id]
    return {"c": c, "tags": tags}


async def edit_form(ctx: TenantContext, customer_id: int) -> tuple[Customer, dict[str, str]]:
    """The customer and the values its edit form starts from. 403, 404."""
    c = await get_customer(ctx, customer_id)
    return c, form_values(c, (await tags_of(ctx.tenant_id, [c.id]))[c.id])


# --- imports ----------------------------------------------------------------------------


async def recent_imports(ctx: TenantContext, limit: int = 20) -> list[dict[str, Any]]:
    return await staged_imports.recent_imports(ctx, CustomerImport, "customers.manage", limit)


async def import_preview(ctx: TenantContext, import_id: int) -> dict[str, Any]:
    """One stored import as its page shows it: the rows with errors (or the first rows of a
    clean file), each row's translated problems, and what may be done with it. 403, 404."""
    return await staged_imports.import_page(ctx, CustomerImport, "customers.manage", import_id)


def kind_labels() -> Labels:
    """The words for every customer kind, for another module's pages (a survey's audience)."""
    return policy.KIND_LABELS


def kinds_for(tenant_kind: str) -> tuple[str, ...]:
    """The customer kinds a tenant of this kind keeps."""
    return policy.kinds_for(tenant_kind)
