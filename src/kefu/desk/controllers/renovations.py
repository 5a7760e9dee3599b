"""Renovations: the list by state with the application form, one application with its
decision, inspections and completion."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from kefu import i18n
from kefu.core import clock
from kefu.core.tenancy import TenantContext
from kefu.desk import policy, queries, services
from kefu.desk.controllers.common import APPROVE, VIEW, WORK, act, choice_filter, page, unit_param
from kefu.desk.labels import helpers
from kefu.tenancy.context import provide_tenant_context


def _url(request: Request, ctx: TenantContext, renovation_id: int | None = None) -> str:
    if renovation_id is None:
        return request.app.route_reverse("desk.renovations", slug=ctx.tenant.slug)
    return request.app.route_reverse("desk.renovation", slug=ctx.tenant.slug, renovation_id=renovation_id)


async def _list(request: Request, ctx: TenantContext, data: dict, errors: dict, status: int = 200) -> Response:
    state = choice_filter(request, "state", policy.RENOVATION_STATES)
    listing = await queries.renovation_list(ctx, state, request.query_params.get("page"))
    return page(request, ctx, "desk/renovations.html",
                {"page": listing, "state": state, "data": data, "errors": errors}, status)


async def _detail(request: Request, ctx: TenantContext, renovation_id: int, form: str = "",
                  data: dict | None = None, errors: dict | None = None) -> Response:
    context = await queries.renovation_page(ctx, renovation_id)
    today = clock.today_in(ctx.tenant.timezone).isoformat()
    return page(request, ctx, "desk/renovation.html", context | {
        "form": form, "data": data or {"inspected_on": today}, "errors": errors or {}}, 422 if errors else 200)


STEPS = {
    "approve": (services.approve_renovation, i18n.lazy("The renovation is approved: the unit is under renovation.")),
    "reject": (services.reject_renovation, i18n.lazy("The application is rejected.")),
    "inspect": (services.record_inspection, i18n.lazy("The inspection is recorded.")),
    "complete": (services.complete_renovation, i18n.lazy("The renovation is completed and its deposit refunded.")),
}


class RenovationController(Controller):
    path = "/t/{slug:str}/desk/renovations"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="desk.renovations", guards=VIEW)
    async def renovations(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        unit = await queries.unit_address_of(ctx, unit_param(request))
        return await _list(request, ctx, {"unit": unit, "deposit": helpers(ctx.tenant.kind)["default_deposit"]}, {})

    @post("/", name="desk.renovations.create", guards=WORK)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        async def again(data: dict, errors: dict) -> Response:
            return await _list(request, ctx, data, errors, 422)

        return await act(request, ctx, lambda form: services.apply_renovation(ctx, form), again,
                         i18n.gettext("The application is recorded."), _url(request, ctx))

    @get("/{renovation_id:int}", name="desk.renovation", guards=VIEW)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext],
                     renovation_id: FromPath[int]) -> Response:
        return await _detail(request, ctx, renovation_id)

    async def _step(self, request: Request, ctx: TenantContext, renovation_id: int, step: str) -> Response:
        await queries.renovation_page(ctx, renovation_id)  # 404 before reading the form
        change, done = STEPS[step]

        async def again(data: dict, errors: dict) -> Response:
            return await _detail(request, ctx, renovation_id, step, data, errors)

        return await act(request, ctx, lambda form: change(ctx, renovation_id, form), again,
                         i18n.gettext(done), _url(request, ctx, renovation_id))

    @post("/{renovation_id:int}/approve", name="desk.renovation.approve", guards=APPROVE)
    async def approve(self, request: Request, ctx: NamedDependency[TenantContext],
                      renovation_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, renovation_id, "approve")

    @post("/{renovation_id:int}/reject", name="desk.renovation.reject", guards=APPROVE)
    async def reject(self, request: Request, ctx: NamedDependency[TenantContext],
                     renovation_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, renovation_id, "reject")

    @post("/{renovation_id:int}/inspections", name="desk.renovation.inspect", guards=WORK)
    async def inspect(self, request: Request, ctx: NamedDependency[TenantContext],
                      renovation_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, renovation_id, "inspect")

    @post("/{renovation_id:int}/complete", name="desk.renovation.complete", guards=APPROVE)
    async def complete(self, request: Request, ctx: NamedDependency[TenantContext],
                       renovation_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, renovation_id, "complete")
