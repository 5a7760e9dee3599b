"""Customer reads the property front desk (kefu.units) uses: who a desk query names (a name
typed from its start, or a whole phone number), a few customers' contacts by id, and the
free-text building and flat each customer was registered with (to match them to real units).
Each an indexed lookup led by the tenant: customer (tenant_id, name) and (tenant_id, phone).
"""

from __future__ import annotations

from typing import Any

from kefu.core import phones
from kefu.core.scoping import scoped
from kefu.customers.tables import Customer

DESK_LIMIT = 20


def _prefix(text: str) -> str:
    return text.replace("%", "").replace("_", "").replace("\\", "") + "%"


async def desk_matches(tenant_id: int, q: str, limit: int = DESK_LIMIT) -> list[dict[str, Any]]:
    """Active customers whose name starts with `q`, or whose phone is `q` (however written)."""
    q = q.strip()
    if not q:
        return []
    phone = phones.normalise(q)
    # A phone number is looked up whole; anything else is a name typed from its start (on
    # PostgreSQL the index customer_tenant_name_prefix serves LIKE 'q%' in any collation).
    match: Any = Customer.phone == phone if phone and len(phone) >= 7 else Customer.name.like(_prefix(q))
    return await scoped(Customer, tenant_id, Customer.id, Customer.name, Customer.phone).where(
        Customer.is_active.eq(True), match).order_by(Customer.name).limit(limit)


async def contacts(tenant_id: int, ids: list[int]) -> dict[int, dict[str, Any]]:
    """{id: {"name", "phone", "email"}} of these customers (any missing ones are left out)."""
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        rows = await scoped(Customer, tenant_id, Customer.id, Customer.name, Customer.phone, Customer.email).where(
            Customer.id.is_in(ids[start:start + 500]))
        found.update({r["id"]: r for r in rows})
    return found


async def flats(tenant_id: int) -> list[dict[str, Any]]:
    """Every active owner or resident with the building and flat they were registered with."""
    return await scoped(
        Customer, tenant_id, Customer.id, Customer.name, Customer.kind, Customer.phone,
        Customer.building, Customer.unit,
    ).where(Customer.is_active.eq(True), Customer.kind.is_in(["owner", "resident"])).order_by(Customer.id)
