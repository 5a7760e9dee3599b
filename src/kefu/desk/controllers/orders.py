"""Paid-service orders: the list by state with the new-order form, one order with its steps."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from kefu import i18n
from kefu.core.tenancy import TenantContext
from kefu.desk import policy, queries, services
from kefu.desk.controllers.common import VIEW, WORK, act, choice_filter, page, unit_param
from kefu.tenancy.context import provide_tenant_context


def _url(request: Request, ctx: TenantContext, order_id: int | None = None) -> str:
    if order_id is None:
        return request.app.route_reverse("desk.orders", slug=ctx.tenant.slug)
    return request.app.route_reverse("desk.order", slug=ctx.tenant.slug, order_id=order_id)


async def _list(request: Request, ctx: TenantContext, data: dict, errors: dict, status: int = 200) -> Response:
    state = choice_filter(request, "state", policy.ORDER_STATES)
    listing = await queries.order_list(ctx, state, request.query_params.get("page"))
    return page(request, ctx, "desk/orders.html",
                {"page": listing, "state": state, "data": data, "errors": errors}, status)


async def _detail(request: Request, ctx: TenantContext, order_id: int, form: str = "", data: dict | None = None,
                  errors: dict | None = None) -> Response:
    context = await queries.order_page(ctx, order_id)
    return page(request, ctx, "desk/order.html", context | {
        "form": form, "data": data or {}, "errors": errors or {}}, 422 if errors else 200)


class ServiceOrderController(Controller):
    path = "/t/{slug:str}/desk/orders"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="desk.orders", guards=VIEW)
    async def orders(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        unit = await queries.unit_address_of(ctx, unit_param(request))
        return await _list(request, ctx, {"unit": unit, "quantity": "1"}, {})

    @post("/", name="desk.orders.create", guards=WORK)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        async def again(data: dict, errors: dict) -> Response:
            return await _list(request, ctx, data, errors, 422)

        return await act(request, ctx, lambda form: services.create_order(ctx, form), again,
                         i18n.gettext("The order is taken."), _url(request, ctx))

    @get("/{order_id:int}", name="desk.order", guards=VIEW)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], order_id: FromPath[int]) -> Response:
        return await _detail(request, ctx, order_id)

    async def _step(self, request: Request, ctx: TenantContext, order_id: int, step: str, done: str) -> Response:
        await queries.order_page(ctx, order_id)  # 404 before reading the form
        change = {"assign": services.assign_order, "complete": services.complete_order,
                  "cancel": services.cancel_order}[step]

        async def again(data: dict, errors: dict) -> Response:
            return await _detail(request, ctx, order_id, step, data, errors)

        return await act(request, ctx, lambda form: change(ctx, order_id, form), again, done,
                         _url(request, ctx, order_id))

    @post("/{order_id:int}/assign", name="desk.order.assign", guards=WORK)
    async def assign(self, request: Request, ctx: NamedDependency[TenantContext], order_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, order_id, "assign", i18n.gettext("The order is assigned."))

    @post("/{order_id:int}/complete", name="desk.order.complete", guards=WORK)
    async def complete(self, request: Request, ctx: NamedDependency[TenantContext],
                       order_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, order_id, "complete",
                                i18n.gettext("The order is done and charged on the unit's next bill."))

    @post("/{order_id:int}/cancel", name="desk.order.cancel", guards=WORK)
    async def cancel(self, request: Request, ctx: NamedDependency[TenantContext], order_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, order_id, "cancel", i18n.gettext("The order is cancelled."))
