"""Unit reads: the searched, filtered and paged list, its export, the building menu, one unit's
page and edit form. Scoped to the tenant (kefu.core.scoping).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from kefu import i18n
from kefu.core import excel
from kefu.core.labels import Labels
from kefu.core.paging import Page, page_number
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.customers.queries import desk as customers
from kefu.units import policy
from kefu.units.queries.moves import moves_of
from kefu.units.schemas import FIELD_LABELS, Filters, parse_filters
from kefu.units.tables import Building, OccupancyChange, Residency, Unit

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
LIST_COLUMNS = (
    Unit.id, Unit.building.name.as_alias("building_name"), Unit.building.id.as_alias("building_id"),
    Unit.entrance, Unit.floor, Unit.room, Unit.area, Unit.use, Unit.occupancy,
)
EXPORT_FIELDS = ("building", "entrance", "floor", "room", "area", "use")


def address_spellings(q: str) -> list[str]:
    """How the unit `q` names may be written as free text elsewhere (a complaint's unit field),
    for another module's equality lookup; [] when `q` names no unit."""
    return policy.address_spellings(q)


def address_conditions(q: str) -> list[Any] | None:
    """The unit lookup a query names ("3-2-1501", "3栋1501", "1501"), or None if it names none."""
    address = policy.parse_address(q)
    if address is not None:
        if address.entrance:
            return [Unit.address_key == f"{address.building}|{address.entrance}|{address.room}"]
        return [Unit.building.code == address.building, Unit.room == address.room.upper()]
    room = policy.room_code(q)
    if room and room.isalnum() and room.isascii():
        return [Unit.room == room.upper()]
    return None


def conditions(f: Filters) -> list[Any]:
    found: list[Any] = []
    if f.q:
        by_address = address_conditions(f.q)
        if by_address is not None:
            found += by_address
        else:  # a building's name ("紫荆苑"); its code is unique in the tenant
            found.append(Unit.building.code == policy.building_code(f.q))
    if f.building:
        found.append(Unit.building == f.building)
    if f.use:
        found.append(Unit.use == f.use)
    return found


def _ordered(query: Any) -> Any:
    return query.order_by(Unit.building.code).order_by(Unit.entrance).order_by(Unit.room).order_by(Unit.id)


async def search_units(ctx: TenantContext, f: Filters, raw_page: str | None) -> Page:
    ctx.require("units.view")
    number = page_number(raw_page)
    where = conditions(f)
    rows = await _ordered(scoped(Unit, ctx.tenant_id, *LIST_COLUMNS).where(*where)).limit(
        PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(Unit, ctx.tenant_id).where(*where)
    return Page(rows, number, PAGE_SIZE, total)


async def buildings(ctx: TenantContext) -> list[dict[str, Any]]:
    """The tenant's buildings, for the filter menu."""
    ctx.require("units.view")
    return await scoped(Building, ctx.tenant_id, Building.id, Building.name).order_by(
        Building.code).limit(1000)


def workbook(rows: list[dict[str, Any]], uses: Labels, tz: str) -> bytes:
    """The units as XLSX, headed with the field labels the import reads back."""
    headers = [i18n.gettext(FIELD_LABELS[f]) for f in EXPORT_FIELDS] + [i18n.gettext("Occupancy")]

    def line(r: dict[str, Any]) -> list[Any]:
        values = {**r, "building": r["building_name"], "use": uses(r["use"])}
        state = policy.OCCUPANCY_MSGIDS.get(r["occupancy"])
        return [values[f] for f in EXPORT_FIELDS] + [i18n.gettext(state) if state else "—"]

    return excel.table(i18n.gettext("Units"), headers, (line(r) for r in rows), tz=tz, total=len(rows))


EXPORTING = i18n.lazy("Preparing the units export")


def export_args(f: Filters) -> dict[str, str]:
    """The list's filters as a job stores them (read again, and checked, by export_file)."""
    return dict(parse_qsl(f.query_string()))


def _export_filters(ctx: TenantContext, args: dict[str, Any]) -> Filters:
    return parse_filters(args, policy.units_pack(ctx.tenant.kind).use_codes())


async def export_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    ctx.require("units.view")
    return await scoped_count(Unit, ctx.tenant_id).where(*conditions(_export_filters(ctx, args)))


async def export_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the filtered list, up to EXPORT_LIMIT rows: written in the
    request when small, by a job (jobs.export_units) when large."""
    ctx.require("units.view")
    rows = await _ordered(scoped(Unit, ctx.tenant_id, *LIST_COLUMNS).where(
        *conditions(_export_filters(ctx, args)))).limit(EXPORT_LIMIT)
    uses, tz = policy.units_pack(ctx.tenant.kind).labels("uses"), ctx.tenant.timezone
    return f"units-{ctx.tenant.slug}.xlsx", await runner.in_thread(lambda _: workbook(rows, uses, tz))


async def get_unit(ctx: TenantContext, unit_id: int) -> Unit:
    ctx.require("units.view")
    return await get_in_tenant(Unit, ctx.tenant_id, unit_id)


async def unit_page(ctx: TenantContext, unit_id: int) -> dict[str, Any]:
    """The unit, its building and its occupancy history, newest first. 403, 404."""
    u = await get_unit(ctx, unit_id)
    building = await get_in_tenant(Building, ctx.tenant_id, u.building)
    history = await scoped(
        OccupancyChange, ctx.tenant_id, OccupancyChange.from_state, OccupancyChange.to_state,
        OccupancyChange.reason, OccupancyChange.at, OccupancyChange.actor.name.as_alias("actor_name"),
    ).where(OccupancyChange.unit == u.id).order_by(OccupancyChange.id, ascending=False).limit(200)
    moves = await moves_of(ctx.tenant_id, u.id)
    return {
        "u": u, "building": building, "history": history,
        "residents": await residents_of(ctx.tenant_id, [u.id]),
        "next_states": sorted(policy.next_states(u.occupancy, "manual")),
        "moves": moves,
        "can_move": [k for k in policy.MOVE_KINDS if policy.can_start(k, u.occupancy, any(
            m["state"] == "open" for m in moves))],
    }


async def residents_of(tenant_id: int, unit_ids: list[int], current_only: bool = False) -> list[dict[str, Any]]:
    """The residents of these units, current first, with the customer's name and phone (read
    from the registry, kefu.customers.queries)."""
    query = scoped(Residency, tenant_id, Residency.id, Residency.unit.as_alias("unit"),
                   Residency.customer.as_alias("customer"),
                   Residency.role, Residency.starts_on, Residency.ends_on).where(Residency.unit.is_in(unit_ids))
    if current_only:
        query = query.where(Residency.ends_on.is_null())
    rows = await query.order_by(Residency.id).limit(500)
    people = await customers.contacts(tenant_id, sorted({r["customer"] for r in rows}))
    for r in rows:
        r["name"] = people.get(r["customer"], {}).get("name", "—")
        r["phone"] = people.get(r["customer"], {}).get("phone", "")
    return sorted(rows, key=lambda r: (r["ends_on"] is not None, r["id"]))


async def edit_form(ctx: TenantContext, unit_id: int) -> tuple[Unit, dict[str, str]]:
    """The unit and the values its edit form starts from. 403, 404."""
    u = await get_unit(ctx, unit_id)
    building = await get_in_tenant(Building, ctx.tenant_id, u.building)
    return u, {
        "building": building.name, "entrance": u.entrance, "room": u.room,
        "floor": "" if u.floor is None else str(u.floor),
        "area": "" if u.area is None else str(u.area), "use": u.use, "notes": u.notes,
    }


async def find_unit(tenant_id: int, text: str) -> dict[str, Any] | None:
    """The one unit `text` names ("3-2-1501", "3栋1501"), or None when it names none or several:
    {id, building_name, entrance, room, occupancy}."""
    where = address_conditions(text.strip()) if text.strip() else None
    if where is None:
        return None
    rows = await scoped(Unit, tenant_id, Unit.id, Unit.building.name.as_alias("building_name"),
                        Unit.entrance, Unit.room, Unit.occupancy).where(*where).limit(2)
    return rows[0] if len(rows) == 1 else None


def unit_address(row: dict[str, Any]) -> str:
    """How the desk writes a unit for find_unit to find it again: "3栋-2-1501", "3栋1501"."""
    if row.get("entrance"):
        return f"{row['building_name']}-{row['entrance']}-{row['room']}"
    return f"{row['building_name']}{row['room']}"


RESIDENTS_LIMIT = 100_000


async def current_residents(tenant_id: int, building_ids: list[int] | None = None,
                            occupancy: list[str] | None = None) -> list[dict[str, Any]]:
    """The current residents (one row per residency) of the units in these buildings (every
    building when None) and of these occupancy states (any when None): the unit, its building
    id and name, its address as the desk writes it, its occupancy, the role, and the customer's
    id, name, phone and email. For notices to residents (kefu.bulletins) and survey audiences by
    building (kefu.surveys)."""
    query = scoped(Residency, tenant_id, Residency.id, Residency.unit.as_alias("unit"),
                   Residency.customer.as_alias("customer"), Residency.role,
                   Residency.unit.building.as_alias("building"), Residency.unit._.building._.name.as_alias("building_name"),
                   Residency.unit.occupancy.as_alias("occupancy"), Residency.unit.address_key.as_alias("address_key"),
                   Residency.unit.entrance.as_alias("entrance"), Residency.unit.room.as_alias("room"),
                   ).where(Residency.ends_on.is_null())
    if building_ids is not None:
        query = query.where(Residency.unit.building.is_in(building_ids or [0]))
    if occupancy is not None:
        query = query.where(Residency.unit.occupancy.is_in(occupancy or [""]))
    rows = await query.order_by(Residency.id).limit(RESIDENTS_LIMIT)
    people = await customers.contacts(tenant_id, sorted({r["customer"] for r in rows}))
    for r in rows:
        r["name"] = people.get(r["customer"], {}).get("name", "—")
        r["phone"] = people.get(r["customer"], {}).get("phone", "")
        r["email"] = people.get(r["customer"], {}).get("email", "")
        r["address"] = unit_address(r)
    return rows
