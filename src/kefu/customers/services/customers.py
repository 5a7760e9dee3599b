"""Writing customers: create and update (with tags, consent and an audit event).

Each write runs in `transaction(tenant, write=True)` (a savepoint inside the request's) and
checks the permission itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.customers import policy
from kefu.customers.queries import tags_of
from kefu.customers.schemas import CustomerInput
from kefu.customers.tables import Customer, CustomerTag
from kefu.db import transaction

AUDITED = (
    "name", "kind", "phone", "email", "postal_address", "external_ref", "building", "unit",
    "consent_contact", "preferred_channel", "notes", "is_active",
)
NUMBER_TAKEN = i18n.lazy("Another customer has this number.")


async def _check(ctx: TenantContext, raw: Mapping[str, str], customer_id: int | None) -> CustomerInput:
    data, errors = policy.check_customer(raw, ctx.tenant.kind)
    if data.external_ref and "external_ref" not in errors:
        other = scoped(Customer, ctx.tenant_id, Customer.id).where(
            Customer.external_ref == data.external_ref
        )
        if customer_id is not None:
            other = other.where(Customer.id != customer_id)
        if await other.first():
            errors["external_ref"] = FieldError("external_ref", NUMBER_TAKEN)
    if errors:
        raise FieldErrors(errors)
    return data


def apply_input(c: Customer, data: CustomerInput, fields: set[str] | None = None) -> None:
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
    c.household = policy.household_key(c.kind, c.building, c.unit, saved_id)
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
        raise FieldErrors({"external_ref": FieldError("external_ref", NUMBER_TAKEN)}) from exc


def snapshot(c: Customer, tags: list[str]) -> dict[str, Any]:
    return {**{name: getattr(c, name) for name in AUDITED}, "tags": tags}


async def create_customer(ctx: TenantContext, raw: Mapping[str, str]) -> Customer:
    """Raises FieldErrors (every bad field), 403 without customers.manage."""
    ctx.require("customers.manage")
    async with transaction(ctx.tenant_id, write=True):
        data = await _check(ctx, raw, None)
        c = Customer(tenant=ctx.tenant_id)
        apply_input(c, data)
        await _save(c)
        c.household = policy.household_key(c.kind, c.building, c.unit, c.id)
        await c.save([Customer.household])
        await set_tags(ctx.tenant_id, c.id, data.tags)
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="customer.create",
            object_type="customer", object_id=c.id, after=snapshot(c, data.tags),
        )
    return c


async def update_customer(ctx: TenantContext, customer_id: int, raw: Mapping[str, str]) -> Customer:
    """The whole form again; `is_active` ("1" or absent) too. Raises FieldErrors, 403, 404."""
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
