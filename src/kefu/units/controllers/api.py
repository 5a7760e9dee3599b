"""The units JSON API, for a centre's accounting system: buildings, units (filtered and paged as
the staff list) and one unit with its occupancy and current residents. Bearer tokens as every
/api/t/{slug}/ route (kefu.tenancy.context.provide_api_context): another tenant's token or unit
is the same 404. Areas travel as strings ("88.50"), never floats; a bad filter is a 422 naming it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery

from kefu.core.forms import clean_text, parse_int
from kefu.core.http_errors import API_ERRORS, error_response
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires
from kefu.units import policy, queries, schemas

VIEW = [requires("units.view")]
CENTS = Decimal("0.01")


def unit_json(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "building": {"id": r["building_id"], "name": r["building_name"]},
            "entrance": r["entrance"], "floor": r["floor"], "room": r["room"],
            "area": None if r["area"] is None else str(Decimal(r["area"]).quantize(CENTS)), "use": r["use"], "occupancy": r["occupancy"]}


def resident_json(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "customer": r["customer"], "name": r["name"], "phone": r["phone"], "role": r["role"],
            "starts_on": r["starts_on"].isoformat() if r["starts_on"] else None,
            "ends_on": r["ends_on"].isoformat() if r["ends_on"] else None}


def _filters(ctx: TenantContext, q: str | None, building: str | None, use: str | None) -> schemas.Filters | dict:
    """The list's filters, or the fields that are wrong: the API refuses what the page forgives."""
    wrong: dict[str, str] = {}
    text, problem = clean_text(q, max_length=schemas.Q_MAX)
    if problem:
        wrong["q"] = f"text of at most {schemas.Q_MAX} characters, no control characters"
    number = parse_int(building or "") if building else None
    if building and (number is None or number <= 0):
        wrong["building"] = "a building id (a positive integer)"
    if use and use not in policy.units_pack(ctx.tenant.kind).use_codes():
        wrong["use"] = "one of " + ", ".join(policy.units_pack(ctx.tenant.kind).use_codes())
    return wrong or schemas.Filters(q=text, building=number, use=use or "")


class UnitsApiController(Controller):
    path = "/api/t/{slug:str}/units"
    dependencies = {"ctx": Provide(provide_api_context)}

    @get("/", name="api.units.list", guards=VIEW, responses=API_ERRORS)
    async def list_units(self, request: Request, ctx: NamedDependency[TenantContext], q: FromQuery[str | None] = None,
                         building: FromQuery[str | None] = None, use: FromQuery[str | None] = None,
                         page: FromQuery[str | None] = None) -> Response:
        """Units, 50 a page (page=1, 2, …): q as the desk writes an address ("3-2-1501"), building
        (an id from /buildings), use (a code of the tenant's pack)."""
        found = _filters(ctx, q, building, use)
        if isinstance(found, dict):
            return error_response(request, 422, "", found)
        listed = await queries.search_units(ctx, found, page)
        return Response({"items": [unit_json(r) for r in listed.rows], "total": listed.total,
                         "page": listed.number, "pages": listed.pages})

    @get("/buildings", name="api.units.buildings", guards=VIEW, responses=API_ERRORS)
    async def buildings(self, ctx: NamedDependency[TenantContext]) -> dict:
        """The tenant's buildings (id and name), for the list's building filter."""
        return {"items": [{"id": b["id"], "name": b["name"]} for b in await queries.buildings(ctx)]}

    @get("/{unit_id:int}", name="api.units.detail", guards=VIEW, responses=API_ERRORS)
    async def detail(self, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]) -> dict:
        """One unit, its current residents (owner, resident, tenant) and its occupancy."""
        found = await queries.unit_page(ctx, unit_id)
        u, b = found["u"], found["building"]
        row = {"id": u.id, "building_id": b.id, "building_name": b.name, "entrance": u.entrance, "floor": u.floor,
               "room": u.room, "area": u.area, "use": u.use, "occupancy": u.occupancy}
        return unit_json(row) | {"residents": [resident_json(r) for r in found["residents"] if r["ends_on"] is None]}
