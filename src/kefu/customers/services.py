"""Customer use cases: create and update (with tags, consent and an audit event), search with
filters and paging, one customer's page, and the match a complaint uses to find its customer.

Each write runs in `transaction(tenant, write=True)` (joining the request's) and checks the
permission itself; reads go through kefu.core.scoping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.customers import rules
from kefu.customers.tables import Customer, CustomerTag
from kefu.db import is_postgres, transaction

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
Q_MAX = 100
AUDITED = (
    "name", "kind", "phone", "email", "postal_address", "external_ref", "building", "unit",
    "consent_contact", "preferred_channel", "notes", "is_active",
)


class CustomerErrors(ValueError):
    """Every field error of a customer form at once (msgids with variables, per field)."""

    def __init__(self, errors: dict[str, FieldError]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors

    def translated(self) -> dict[str, str]:
        return {name: e.translated() for name, e in self.errors.items()}


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kind: str = ""
    tag: str = ""
    building: str = ""

    def query_string(self) -> str:
        return urlencode({k: v for k, v in self.__dict__.items() if v})


def _clean(value: str | None, limit: int = Q_MAX) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def parse_filters(params: Any, tenant_kind: str) -> Filters:
    """Unknown values fall back to "any" rather than failing the page."""
    kind = _clean(params.get("kind"))
    return Filters(
        q=_clean(params.get("q")),
        kind=kind if kind in rules.kinds_for(tenant_kind) else "",
        tag=_clean(params.get("tag"), rules.MAX_TAG),
        building=_clean(params.get("building"), rules.LIMITS["building"]),
    )


def _like(text: str) -> str:
    return "%" + text.replace("%", "").replace("_", "").replace("\\", "") + "%"


def conditions(tenant_id: int, f: Filters) -> list:
    found: list = []
    if f.q:
        pattern = _like(f.q)
        # SQLite's LIKE ignores ASCII case already (and has no ILIKE).
        like = (lambda col: col.ilike(pattern)) if is_postgres() else (lambda col: col.like(pattern))
        match = (
            like(Customer.name) | like(Customer.external_ref) | like(Customer.email)
            | like(Customer.building) | like(Customer.unit)
        )
        phone = rules.normalise_phone(f.q)
        if phone:
            match = match | Customer.phone.like(_like(phone))
        flat = rules.flat_query_household(f.q)
        if flat:  # "3-2-1501": building 3, flat 2-1501, however the flat was typed
            match = match | (Customer.household == flat)
        found.append(match)
    if f.kind:
        found.append(Customer.kind == f.kind)
    if f.building:
        found.append(Customer.building == f.building)
    if f.tag:
        tagged = scoped(CustomerTag, tenant_id, CustomerTag.customer).where(CustomerTag.tag == f.tag)
        found.append(Customer.id.is_in(tagged))
    return found


LIST_COLUMNS = (
    Customer.id, Customer.kind, Customer.name, Customer.phone, Customer.email,
    Customer.external_ref, Customer.building, Customer.unit, Customer.consent_contact,
    Customer.preferred_channel, Customer.is_active,
)


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


async def search_customers(ctx: TenantContext, f: Filters, raw_page: str | None) -> Page:
    ctx.require("customers.view")
    number = page_number(raw_page)
    where = conditions(ctx.tenant_id, f)
    rows = await scoped(Customer, ctx.tenant_id, *LIST_COLUMNS).where(*where).order_by(
        Customer.name
    ).order_by(Customer.id).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(Customer, ctx.tenant_id).where(*where)
    tags = await tags_of(ctx.tenant_id, [r["id"] for r in rows])
    for r in rows:
        r["tags"] = tags[r["id"]]
    return Page(rows, number, PAGE_SIZE, total)


async def export_rows(ctx: TenantContext, f: Filters) -> list[dict[str, Any]]:
    ctx.require("customers.view")
    rows = await scoped(
        Customer, ctx.tenant_id, *LIST_COLUMNS, Customer.postal_address, Customer.consent_at,
        Customer.notes,
    ).where(*conditions(ctx.tenant_id, f)).order_by(Customer.name).order_by(Customer.id).limit(
        EXPORT_LIMIT
    )
    tags = await tags_of(ctx.tenant_id, [r["id"] for r in rows])
    for r in rows:
        r["tags"] = tags[r["id"]]
    return rows


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
    phone = rules.normalise_phone(phone) or ""
    email = rules.normalise_email(email) or ""
    if not phone and not email:
        return None
    found = None
    if phone:
        found = Customer.phone == phone
    if email:
        found = (found | (Customer.email == email)) if found is not None else Customer.email == email
    rows = await scoped(Customer, tenant_id, Customer.id).where(
        Customer.is_active.eq(True), found
    ).limit(2)
    return rows[0]["id"] if len(rows) == 1 else None


# --- writing ----------------------------------------------------------------------------


async def _check(ctx: TenantContext, raw: Mapping[str, str], customer_id: int | None) -> rules.CustomerInput:
    data, errors = rules.check_customer(raw, ctx.tenant.kind)
    if data.external_ref and "external_ref" not in errors:
        other = scoped(Customer, ctx.tenant_id, Customer.id).where(
            Customer.external_ref == data.external_ref
        )
        if customer_id is not None:
            other = other.where(Customer.id != customer_id)
        if await other.first():
            errors["external_ref"] = FieldError("external_ref", "Another customer has this number.")
    if errors:
        raise CustomerErrors(errors)
    return data


def apply_input(c: Customer, data: rules.CustomerInput, fields: set[str] | None = None) -> None:
    """Copy the checked fields onto the row (all, or only `fields`: an import updates the
    columns its file has); consent_at is when consent was last given."""
    for name in ("name", "kind", "phone", "email", "postal_address", "external_ref", "building",
                 "unit", "preferred_channel", "notes"):
        if fields is None or name in fields:
            setattr(c, name, getattr(data, name))
    if fields is None or "consent" in fields:
        if data.consent_contact and not c.consent_contact:
            c.consent_at = clock.now()
        elif not data.consent_contact:
            c.consent_at = None
        c.consent_contact = data.consent_contact
    saved_id = c.id if getattr(c, "_exists_in_db", False) else None
    c.household = rules.household_key(c.kind, c.building, c.unit, saved_id)
    c.updated_at = clock.now()


async def set_tags(tenant_id: int, customer_id: int, tags: list[str]) -> None:
    await CustomerTag.delete().where(
        CustomerTag.tenant == tenant_id, CustomerTag.customer == customer_id
    )
    if tags:
        await CustomerTag.insert(
            *(CustomerTag(tenant=tenant_id, customer=customer_id, tag=t) for t in tags)
        )


async def _save(c: Customer) -> None:
    """Save; the number taken meanwhile by a concurrent save (the unique index, PostgreSQL)
    is the same field error as the check's, not a failure. The savepoint keeps the caller's
    transaction usable after the refused INSERT."""
    try:
        async with transaction(c.tenant):
            await c.save()
    except Exception as exc:
        if "unique" not in str(exc).lower():
            raise
        raise CustomerErrors(
            {"external_ref": FieldError("external_ref", "Another customer has this number.")}
        ) from exc


def snapshot(c: Customer, tags: list[str]) -> dict[str, Any]:
    return {**{name: getattr(c, name) for name in AUDITED}, "tags": tags}


async def create_customer(ctx: TenantContext, raw: Mapping[str, str]) -> Customer:
    """Raises CustomerErrors (every bad field), 403 without customers.manage."""
    ctx.require("customers.manage")
    async with transaction(ctx.tenant_id, write=True):
        data = await _check(ctx, raw, None)
        c = Customer(tenant=ctx.tenant_id)
        apply_input(c, data)
        await _save(c)
        c.household = rules.household_key(c.kind, c.building, c.unit, c.id)
        await c.save([Customer.household])
        await set_tags(ctx.tenant_id, c.id, data.tags)
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="customer.create",
            object_type="customer", object_id=c.id, after=snapshot(c, data.tags),
        )
    return c


async def update_customer(ctx: TenantContext, customer_id: int, raw: Mapping[str, str]) -> Customer:
    """The whole form again; `is_active` ("1" or absent) too. Raises CustomerErrors, 403, 404."""
    ctx.require("customers.manage")
    async with transaction(ctx.tenant_id, write=True):
        c = await get_in_tenant(Customer, ctx.tenant_id, customer_id)
        before = snapshot(c, (await tags_of(ctx.tenant_id, [c.id]))[c.id])
        data = await _check(ctx, raw, c.id)
        apply_input(c, data)
        c.is_active = bool(raw.get("is_active"))
        await _save(c)
        await set_tags(ctx.tenant_id, c.id, data.tags)
        after = snapshot(c, data.tags)
        changed = {k for k in after if after[k] != before[k]}
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="customer.update",
            object_type="customer", object_id=c.id,
            before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
        )
    return c


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
    """The customer with their tags, complaints and survey invitations. 403, 404."""
    # Imported here: complaints imports this module (a complaint names its customer).
    from kefu.complaints.queries import customer_complaints
    from kefu.surveys.queries import customer_invitations

    c = await get_customer(ctx, customer_id)
    complaints = await customer_complaints(ctx.tenant_id, c.id)
    invitations = await customer_invitations(ctx.tenant_id, c.id)
    tags = (await tags_of(ctx.tenant_id, [c.id]))[c.id]
    return {"c": c, "tags": tags, "complaints": complaints, "invitations": invitations}
