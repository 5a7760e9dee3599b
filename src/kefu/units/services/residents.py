"""Residents: linking a customer of the registry to a unit with a role and dates, ending the
link, and the one-off matching of customers' free-text building and flat to real units
(`kefu units link-customers --tenant SLUG`). Customers are read through kefu.customers.queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock, phones
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.forms import REQUIRED
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.customers.queries import desk as customers
from kefu.db import transaction
from kefu.units import policy
from kefu.units.tables import Residency, Unit

NO_CUSTOMER = i18n.lazy("No customer has this name or phone number.")
SEVERAL = i18n.lazy("Several customers match: type the whole phone number.")
LINKED = i18n.lazy("This customer is linked to this unit in this role already.")


async def customer_named(tenant_id: int, text: str) -> dict[str, Any]:
    """The one customer a name or phone names; FieldErrors on `customer` otherwise."""
    if not text.strip():
        raise FieldErrors({"customer": FieldError("customer", REQUIRED)})
    found = await customers.desk_matches(tenant_id, text, limit=5)
    # Linking needs the whole name or the whole phone, not a name's first characters.
    phone = phones.normalise(text) or ""
    exact = [c for c in found if c["name"] == text.strip() or (phone and c["phone"] == phone)]
    if not exact:
        raise FieldErrors({"customer": FieldError("customer", NO_CUSTOMER)})
    if len(exact) > 1:
        raise FieldErrors({"customer": FieldError("customer", SEVERAL)})
    return exact[0]


async def _linked(tenant_id: int, unit_id: int, customer_id: int, role: str) -> bool:
    return bool(await scoped(Residency, tenant_id, Residency.id).where(
        Residency.unit == unit_id, Residency.customer == customer_id, Residency.role == role,
        Residency.ends_on.is_null()).first())


async def link_resident(ctx: TenantContext, unit_id: int, raw: Mapping[str, str]) -> Residency:
    """Link the customer `raw["customer"]` names (name or phone) to the unit. Raises
    FieldErrors, 403 without units.desk, 404."""
    ctx.require("units.desk")
    async with transaction(ctx.tenant_id, write=True):
        unit = await get_in_tenant(Unit, ctx.tenant_id, unit_id)
        data, errors = policy.check_residency(raw)
        if errors:
            raise FieldErrors(errors)
        c = await customer_named(ctx.tenant_id, data["customer"])
        if await _linked(ctx.tenant_id, unit.id, c["id"], data["role"]):
            raise FieldErrors({"customer": FieldError("customer", LINKED)})
        row = Residency(tenant=ctx.tenant_id, unit=unit.id, customer=c["id"], role=data["role"],
                        starts_on=data["starts_on"], ends_on=data["ends_on"],
                        phone_tail=policy.phone_tail(c["phone"]))
        await row.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="residency.create",
            object_type="unit", object_id=unit.id,
            after={"customer": c["id"], "role": data["role"], "starts_on": str(data["starts_on"] or ""),
                   "ends_on": str(data["ends_on"] or "")},
        )
    return row


async def end_residency(ctx: TenantContext, residency_id: int) -> Residency:
    """The link ends today (kept, with its dates, as the unit's history). 403, 404."""
    ctx.require("units.desk")
    async with transaction(ctx.tenant_id, write=True):
        row = await get_in_tenant(Residency, ctx.tenant_id, residency_id)
        if row.ends_on is None:
            today = clock.now().date()
            row.ends_on = max(today, row.starts_on) if row.starts_on else today
            await row.save([Residency.ends_on])
            await audit.record(
                tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="residency.end",
                object_type="unit", object_id=row.unit, after={"customer": row.customer,
                                                               "ends_on": str(row.ends_on)},
            )
    return row


@dataclass
class MatchReport:
    linked: int = 0
    already: int = 0
    unmatched: list[dict[str, Any]] = field(default_factory=list)  # id, name, building, unit, reason


async def _units_by_address(tenant_id: int) -> tuple[dict[str, int], dict[tuple[str, str], list[int]]]:
    rows = await scoped(
        Unit, tenant_id, Unit.id, Unit.address_key, Unit.room, Unit.building.code.as_alias("code"))
    by_key = {r["address_key"]: r["id"] for r in rows}
    by_room: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        by_room.setdefault((r["code"], r["room"]), []).append(r["id"])
    return by_key, by_room


def _unit_for(address: policy.Address, by_key: dict[str, int],
              by_room: dict[tuple[str, str], list[int]]) -> tuple[int | None, str]:
    if address.entrance:
        key = f"{address.building}|{address.entrance}|{address.room}"
        return (by_key[key], "") if key in by_key else (None, "no_unit")
    found = by_room.get((address.building, address.room.upper()), [])
    if len(found) == 1:
        return found[0], ""
    return None, "ambiguous" if found else "no_unit"


async def link_customers(tenant_id: int, actor_id: int | None, today: date | None = None) -> MatchReport:
    """Link every owner and resident whose free-text building and flat name exactly one unit
    (owner -> owner, resident -> resident); report the others with why (unreadable, no_unit,
    ambiguous). Running it again links nothing twice."""
    report = MatchReport()
    async with transaction(tenant_id, write=True):
        by_key, by_room = await _units_by_address(tenant_id)
        existing = {(r["unit"], r["customer"]) for r in await scoped(
            Residency, tenant_id, Residency.unit.as_alias("unit"), Residency.customer.as_alias("customer"))}
        fresh = []
        for c in await customers.flats(tenant_id):
            address = policy.flat_address(c["building"], c["unit"])
            unit_id, reason = _unit_for(address, by_key, by_room) if address else (None, "unreadable")
            if unit_id is None:
                report.unmatched.append({**c, "reason": reason})
            elif (unit_id, c["id"]) in existing:
                report.already += 1
            else:
                fresh.append(Residency(tenant=tenant_id, unit=unit_id, customer=c["id"],
                                       role=policy.KIND_ROLES[c["kind"]], starts_on=today,
                                       phone_tail=policy.phone_tail(c["phone"])))
        if fresh:
            await Residency.insert(*fresh)
        report.linked = len(fresh)
        await audit.record(
            tenant_id=tenant_id, actor_id=actor_id, action="residency.match", object_type="tenant",
            object_id=tenant_id, after={"linked": report.linked, "unmatched": len(report.unmatched)},
        )
    return report

