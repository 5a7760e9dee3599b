"""A unit's fees at the desk: what it owes, its latest bills, the reasons recorded for paying
late, and the form that records one (C.j). The units pages link here; fees reads units only
through kefu.units.queries."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldErrors
from kefu.core.forms import Form, parse_int
from kefu.core.scoping import MAX_ID
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.fees import queries, services
from kefu.fees.labels import helpers
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import queries as units


async def _page(request: Request, ctx: TenantContext, unit_id: int, data: dict, errors: dict,
                status: int = 200) -> Response:
    unit = await units.unit_page(ctx, unit_id)
    context = helpers(ctx.tenant.kind) | unit | {
        "owed": (await queries.unit_arrears(ctx, [unit_id])).get(unit_id),
        "bills": await queries.unit_bills(ctx, unit_id), "late": await queries.unit_reasons(ctx, unit_id),
        "data": data, "errors": errors}
    return render(request, "fees/unit.html", context, status_code=status)


MAX_SLOTS = 50


class UnitFeesController(Controller):
    path = "/t/{slug:str}/fees/units"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/arrears", name="fees.arrears_slots", guards=[requires("fees.view")])
    async def arrears_slots(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """The desk search's fee slots, filled out of band; another tenant's ids show nothing owed."""
        ids = [i for i in (parse_int(v) for v in request.query_params.getall("unit", [])[:MAX_SLOTS])
               if i is not None and 0 < i <= MAX_ID]
        owed = await queries.unit_arrears(ctx, ids)
        return render(request, "fees/_arrears_slots.html", {"unit_ids": ids, "owed": owed}, fragment="slots")

    @get("/{unit_id:int}", name="fees.unit", guards=[requires("fees.view")])
    async def unit(self, request: Request, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]) -> Response:
        return await _page(request, ctx, unit_id, {}, {})

    @post("/{unit_id:int}/reasons", name="fees.reason", guards=[requires("fees.collect")])
    async def reason(self, request: Request, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]) -> Response:
        await units.get_unit(ctx, unit_id)  # 404 before reading the form
        form = await Form.read(request)
        try:
            await services.record_reason(ctx, unit_id, form)
        except FieldErrors as exc:
            return await _page(request, ctx, unit_id, form.data, exc.translated_all(), status=422)
        flash(request, i18n.gettext("The reason is recorded."), "success")
        return Redirect(request.app.route_reverse("fees.unit", slug=ctx.tenant.slug, unit_id=unit_id),
                        status_code=303)
