"""The registry's customers a survey's audience picks (kefu.surveys reads them here): the
active customers of some kinds, buildings or a tag, customers by id, every customer's tags,
what the audience form offers, and the customers an uploaded list's references and phones
name. Scoped to the tenant (kefu.core.scoping).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from kefu.core import phones
from kefu.core.scoping import scoped
from kefu.customers.tables import Customer, CustomerTag

CHUNK = 1000  # ids per IN (...) list
# What an invitation needs of a customer.
COLUMNS = (
    Customer.id, Customer.name, Customer.phone, Customer.email, Customer.building,
    Customer.household, Customer.consent_contact, Customer.preferred_channel, Customer.locale, Customer.kind,
)


async def active_customers(
    tenant_id: int, *, kinds: Collection[str] = (), buildings: Collection[str] | None = None,
    segment: str | None = None,
) -> list[dict[str, Any]]:
    """The active customers (COLUMNS), by id: of `kinds` if any are given, living in
    `buildings` if given, tagged `segment` if given."""
    query = scoped(Customer, tenant_id, *COLUMNS).where(Customer.is_active.eq(True))
    if kinds:
        query = query.where(Customer.kind.is_in(list(kinds)))
    if buildings is not None:
        query = query.where(Customer.building.is_in(list(buildings)))
    elif segment is not None:
        tagged = scoped(CustomerTag, tenant_id, CustomerTag.customer).where(CustomerTag.tag == segment)
        query = query.where(Customer.id.is_in(tagged))
    return await query.order_by(Customer.id)


async def customers_by_id(tenant_id: int, ids: list[int]) -> dict[int, dict[str, Any]]:
    """id -> the customer (COLUMNS and is_active), active or not; unknown ids are left out."""
    known: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for c in await scoped(Customer, tenant_id, *COLUMNS, Customer.is_active).where(Customer.id.is_in(chunk)):
            known[c["id"]] = c
    return known


async def all_tags(tenant_id: int) -> dict[int, list[str]]:
    """Every customer's tags, in tag order."""
    tags: dict[int, list[str]] = {}
    rows = await scoped(CustomerTag, tenant_id, CustomerTag.customer.as_alias("customer"), CustomerTag.tag).order_by(
        CustomerTag.tag
    )
    for r in rows:
        tags.setdefault(r["customer"], []).append(r["tag"])
    return tags


async def audience_choices(tenant_id: int) -> dict[str, list[str]]:
    """The kinds, buildings and tags ("segments") the tenant's customers have."""
    kinds = await scoped(Customer, tenant_id, Customer.kind).distinct().order_by(Customer.kind)
    buildings = await scoped(Customer, tenant_id, Customer.building).where(
        Customer.building != ""
    ).distinct().order_by(Customer.building)
    tags = await scoped(CustomerTag, tenant_id, CustomerTag.tag).distinct().order_by(CustomerTag.tag)
    return {
        "kinds": [r["kind"] for r in kinds],
        "buildings": [r["building"] for r in buildings],
        "segments": [r["tag"] for r in tags],
    }


async def ids_by_reference(tenant_id: int, refs: list[str]) -> dict[str, int]:
    """External reference -> the customer of it (the lowest id if several)."""
    by_ref: dict[str, int] = {}
    for start in range(0, len(refs), CHUNK):
        found = await scoped(Customer, tenant_id, Customer.id, Customer.external_ref).where(
            Customer.external_ref.is_in(refs[start:start + CHUNK])).order_by(Customer.id)
        for c in found:
            by_ref.setdefault(c["external_ref"], c["id"])
    return by_ref


async def ids_by_phone(tenant_id: int, keys: set[str]) -> dict[str, int]:
    """Phone key (kefu.core.phones.key) -> the customer of it (the lowest id if several)."""
    by_phone: dict[str, int] = {}
    if not keys:
        return by_phone
    # Phones are stored as typed ("138 0013 8000"): compare them normalised.
    found = await scoped(Customer, tenant_id, Customer.id, Customer.phone).where(
        Customer.phone != "").order_by(Customer.id)
    for c in found:
        key = phones.key(c["phone"])
        if key in keys:
            by_phone.setdefault(key, c["id"])
    return by_phone
