"""Front-desk actions on a unit's page: link a resident, end a residency, begin or end a
renovation. A bad field re-renders the unit's page with the error (422); nothing is written."""

from __future__ import annotations

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldErrors
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import queries, services
from kefu.units.controllers.units import detail_url
from kefu.units.labels import helpers

DESK = [requires("units.desk")]
RESIDENT_FIELDS = ("customer", "role", "starts_on", "ends_on")


async def _fields(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    form = await Form.read(request)
    return {k: values[0] for k, values in form.lists.items() if k in names}


async def _page_with_errors(request: Request, ctx: TenantContext, unit_id: int, form: str,
                            data: dict[str, str], exc: FieldErrors) -> Response:
    context = helpers(ctx.tenant.kind) | await queries.unit_page(ctx, unit_id) | {
        "form": form, "data": data, "errors": exc.translated_all()}
    return render(request, "units/detail.html", context, status_code=422)


class UnitDeskController(Controller):
    path = "/t/{slug:str}/units"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @post("/{unit_id:int}/residents", name="units.link", guards=DESK)
    async def link(self, request: Request, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]) -> Response:
        await queries.get_unit(ctx, unit_id)  # 404 before reading the form
        data = await _fields(request, RESIDENT_FIELDS)
        try:
            await services.link_resident(ctx, unit_id, data)
        except FieldErrors as exc:
            return await _page_with_errors(request, ctx, unit_id, "resident", data, exc)
        flash(request, i18n.gettext("The resident is linked to this unit."), "success")
        return Redirect(detail_url(request, ctx, unit_id), status_code=303)

    @post("/residents/{residency_id:int}/end", name="units.unlink", guards=DESK)
    async def unlink(self, request: Request, ctx: NamedDependency[TenantContext],
                     residency_id: FromPath[int]) -> Response:
        row = await services.end_residency(ctx, residency_id)
        flash(request, i18n.gettext("The residency has ended."), "success")
        return Redirect(detail_url(request, ctx, row.unit), status_code=303)

    @post("/{unit_id:int}/occupancy", name="units.occupancy", guards=DESK)
    async def occupancy(self, request: Request, ctx: NamedDependency[TenantContext],
                        unit_id: FromPath[int]) -> Response:
        await queries.get_unit(ctx, unit_id)
        data = await _fields(request, ("occupancy", "reason"))
        try:
            await services.change_occupancy(ctx, unit_id, data)
        except FieldErrors as exc:
            return await _page_with_errors(request, ctx, unit_id, "occupancy", data, exc)
        flash(request, i18n.gettext("The occupancy is changed."), "success")
        return Redirect(detail_url(request, ctx, unit_id), status_code=303)
