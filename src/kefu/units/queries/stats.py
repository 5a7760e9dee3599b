"""Unit figures for the monthly statistics (C.i): units per building by occupancy now or as it
was at a moment (from the occupancy history), and the move-ins and move-outs completed in a
span of days, per building."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.query.functions.aggregate import Count

from kefu.core.scoping import scoped
from kefu.units.tables import Building, Move, OccupancyChange, Unit

STATS_LIMIT = 5_000  # building × state rows
UNITS_LIMIT = 200_000  # units of one estate read to rebuild a past month


async def occupancy_by_building(tenant_id: int) -> list[dict[str, Any]]:
    """[{"building_id", "building", "occupancy", "n"}]: the units of each building in each state."""
    return await scoped(Unit, tenant_id, Unit.building.as_alias("building_id"),
                        Unit.building._.name.as_alias("building"), Unit.occupancy,
                        Count(Unit.id).as_alias("n")).group_by(
        Unit.building, Unit.building._.name, Unit.occupancy).limit(STATS_LIMIT)


async def occupancy_at(tenant_id: int, moment: datetime) -> list[dict[str, Any]]:
    """occupancy_by_building as it was at `moment`: the units that existed then, each in the
    state its history gives — the `from_state` of its first change at or after `moment`, or its
    state now when it has not changed since."""
    units = await scoped(Unit, tenant_id, Unit.id, Unit.building.as_alias("building_id"),
                         Unit.building._.name.as_alias("building"), Unit.occupancy).where(
        Unit.created_at < moment).limit(UNITS_LIMIT)
    later = await scoped(OccupancyChange, tenant_id, OccupancyChange.unit.as_alias("unit"), OccupancyChange.from_state).where(
        OccupancyChange.at >= moment).order_by(OccupancyChange.at).order_by(OccupancyChange.id).limit(UNITS_LIMIT)
    then: dict[int, str] = {}
    for c in later:
        then.setdefault(c["unit"], c["from_state"])
    counts: dict[tuple[int, str, str], int] = {}
    for u in units:
        key = (u["building_id"], u["building"], then.get(u["id"], u["occupancy"]))
        counts[key] = counts.get(key, 0) + 1
    return [{"building_id": b, "building": name, "occupancy": state, "n": n}
            for (b, name, state), n in sorted(counts.items())]


async def moves_between(tenant_id: int, first: date, last: date, tz: str) -> list[dict[str, Any]]:
    """[{"building_id", "kind", "n"}]: moves completed on the days first..last of the tenant's clock."""
    zone = ZoneInfo(tz)
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone)
    return await scoped(Move, tenant_id, Move.unit._.building.as_alias("building_id"), Move.kind,
                        Count(Move.id).as_alias("n")).where(
        Move.state == "done", Move.done_at >= start, Move.done_at < end).group_by(
        Move.unit._.building, Move.kind).limit(STATS_LIMIT)


async def building_choices(tenant_id: int) -> list[dict[str, Any]]:
    """[{"id", "name"}] of the tenant's buildings in their order, for audience forms elsewhere
    (kefu.surveys: a round's audience by building reads the units)."""
    return await scoped(Building, tenant_id, Building.id, Building.name).order_by(Building.code).limit(STATS_LIMIT)
