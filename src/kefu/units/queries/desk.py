"""The desk search: who is at the counter, found as the desk types — by name (from its start),
phone (whole, or its last four digits) or unit written any way people write it ("3-2-1501",
"3栋2单元1501", "3栋1501", "3幢1501室"). Every lookup is an indexed equality or prefix led by
the tenant: unit (tenant_id, address_key) and (tenant_id, building_id, room), residency
(tenant_id, phone_tail), (tenant_id, unit_id), (tenant_id, customer_id), and the customers
module's own (tenant_id, name) and (tenant_id, phone).

Each result is one resident of one unit (or a unit nobody lives in, or a customer with no
unit), with the unit's occupancy. Fees and open items are a slot for the fees module.
"""

from __future__ import annotations

from typing import Any

from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.customers.queries import desk as customers
from kefu.units.queries.units import address_conditions, residents_of
from kefu.units.tables import Residency, Unit

LIMIT = 20
UNIT_COLUMNS = (
    Unit.id, Unit.building.name.as_alias("building_name"), Unit.entrance, Unit.room, Unit.occupancy,
)


async def _units(tenant_id: int, where: list[Any]) -> dict[int, dict[str, Any]]:
    rows = await scoped(Unit, tenant_id, *UNIT_COLUMNS).where(*where).order_by(Unit.id).limit(LIMIT)
    return {r["id"]: r for r in rows}


def _rows(units: dict[int, dict[str, Any]], residents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found, seen = [], set()
    for r in residents:
        if r["unit"] in units:
            found.append({**r, "unit_row": units[r["unit"]]})
            seen.add(r["unit"])
    found += [{"unit_row": u, "name": "", "phone": "", "role": "", "customer": None}
              for uid, u in units.items() if uid not in seen]
    return found


async def _by_unit(tenant_id: int, q: str) -> list[dict[str, Any]]:
    where = address_conditions(q)
    if where is None:
        return []
    units = await _units(tenant_id, where)
    return _rows(units, await residents_of(tenant_id, list(units), current_only=True)) if units else []


async def _by_tail(tenant_id: int, tail: str) -> list[dict[str, Any]]:
    rows = await scoped(Residency, tenant_id, Residency.unit.as_alias("unit")).where(
        Residency.phone_tail == tail, Residency.ends_on.is_null()).limit(LIMIT)
    units = await _units(tenant_id, [Unit.id.is_in([r["unit"] for r in rows])]) if rows else {}
    found = await residents_of(tenant_id, list(units), current_only=True) if units else []
    return _rows(units, [r for r in found if r["phone"].endswith(tail)])


async def _by_person(tenant_id: int, q: str) -> list[dict[str, Any]]:
    people = {c["id"]: c for c in await customers.desk_matches(tenant_id, q, LIMIT)}
    if not people:
        return []
    links = await scoped(Residency, tenant_id, Residency.unit.as_alias("unit"),
                         Residency.customer.as_alias("customer")).where(
        Residency.customer.is_in(list(people)), Residency.ends_on.is_null()).limit(LIMIT * 3)
    units = await _units(tenant_id, [Unit.id.is_in([r["unit"] for r in links])]) if links else {}
    found = await residents_of(tenant_id, list(units), current_only=True) if units else []
    rows = _rows(units, [r for r in found if r["customer"] in people])
    housed = {r["customer"] for r in rows}
    return rows + [{"unit_row": None, "customer": c["id"], "name": c["name"], "phone": c["phone"],
                    "role": ""} for cid, c in people.items() if cid not in housed]


async def desk_search(ctx: TenantContext, q: str) -> list[dict[str, Any]]:
    """At most a few dozen rows: the unit the text names, the residents whose phone ends with
    it (four digits), or the people it names. 403 without units.view."""
    ctx.require("units.view")
    q = q.strip()
    if not q:
        return []
    found = await _by_unit(ctx.tenant_id, q)
    if q.isascii() and q.isdigit() and len(q) == 4:
        found += await _by_tail(ctx.tenant_id, q)
    if not found:
        found = await _by_person(ctx.tenant_id, q)
    return found[:LIMIT * 2]
