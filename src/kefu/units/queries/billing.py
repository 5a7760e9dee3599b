"""What the fees module bills: units in id order, a batch at a time, with the first day of
their current residency (a move-in mid-month is billed from that day)."""

from __future__ import annotations

from typing import Any

from kefu.core.labels import Labels
from kefu.core.scoping import scoped
from kefu.units import policy
from kefu.units.tables import Residency, Unit


async def billable_units(tenant_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
    """[{id, use, area, since}] for units with an id above `after_id`, at most `limit`."""
    units = await scoped(Unit, tenant_id, Unit.id, Unit.use, Unit.area).where(
        Unit.id > after_id).order_by(Unit.id).limit(limit)
    if not units:
        return []
    links = await scoped(Residency, tenant_id, Residency.unit.as_alias("unit"), Residency.starts_on).where(
        Residency.unit.is_in([u["id"] for u in units]), Residency.ends_on.is_null())
    since: dict[int, Any] = {}
    for r in links:
        if r["starts_on"] is not None:
            since[r["unit"]] = min(since.get(r["unit"], r["starts_on"]), r["starts_on"])
    return [{**u, "since": since.get(u["id"])} for u in units]


def unit_uses(kind: str) -> tuple[str, ...]:
    """The use codes of a kind's units (tenants/<kind>/units.toml)."""
    return policy.units_pack(kind).use_codes()


def use_labels(kind: str) -> Labels:
    return policy.units_pack(kind).labels("uses")


def occupancy_labels() -> Labels:
    """The words for a unit's occupancy (vacant, owner-occupied, let, under renovation)."""
    return Labels(policy.OCCUPANCY_MSGIDS)
