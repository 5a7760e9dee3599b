"""Fee items: the list, a new item (a new rate is a new item from its first day), and the
pack's default items in one click."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock
from kefu.core.errors import FieldErrors
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.fees import queries, services
from kefu.fees.labels import helpers
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires


def _list_url(request: Request, ctx: TenantContext) -> str:
    return request.app.route_reverse("fees.items", slug=ctx.tenant.slug)


async def _page(request: Request, ctx: TenantContext, data: dict, errors: dict, status: int = 200) -> Response:
    context = helpers(ctx.tenant.kind) | {"items": await queries.fee_items(ctx), "data": data, "errors": errors}
    return render(request, "fees/items.html", context, status_code=status)


async def _item_page(request: Request, ctx: TenantContext, item_id: int, data: dict, errors: dict,
                     status: int = 200) -> Response:
    item = await queries.fee_item(ctx, item_id)
    context = helpers(ctx.tenant.kind) | {"item": item, "data": data, "errors": errors}
    return render(request, "fees/item.html", context, status_code=status)


class FeeItemController(Controller):
    path = "/t/{slug:str}/fees/items"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="fees.items", guards=[requires("fees.view")])
    async def items(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        today = clock.today_in(ctx.tenant.timezone)
        return await _page(request, ctx, {"valid_from": today.replace(day=1).isoformat()}, {})

    @post("/", name="fees.items.create", guards=[requires("fees.manage")])
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        try:
            await services.create_item(ctx, form)
        except FieldErrors as exc:
            data = form.data | {"uses": form.lists.get("uses", [])}
            return await _page(request, ctx, data, exc.translated_all(), status=422)
        flash(request, i18n.gettext("The fee item is saved."), "success")
        return Redirect(_list_url(request, ctx), status_code=303)

    @post("/defaults", name="fees.items.defaults", guards=[requires("fees.manage")])
    async def defaults(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        await Form.read(request)
        made = await services.add_default_items(ctx, clock.today_in(ctx.tenant.timezone).replace(day=1))
        flash(request, i18n.gettext("%(n)s fee items added.", n=made), "success")
        return Redirect(_list_url(request, ctx), status_code=303)

    @get("/{item_id:int}", name="fees.item", guards=[requires("fees.view")])
    async def item(self, request: Request, ctx: NamedDependency[TenantContext], item_id: FromPath[int]) -> Response:
        """The item, and the manager's forms to end it or change its rate from a day."""
        return await _item_page(request, ctx, item_id, {}, {})

    @post("/{item_id:int}/end", name="fees.item.end", guards=[requires("fees.manage")])
    async def end(self, request: Request, ctx: NamedDependency[TenantContext], item_id: FromPath[int]) -> Response:
        form = await Form.read(request)
        try:
            await services.end_item(ctx, item_id, form)
        except FieldErrors as exc:
            return await _item_page(request, ctx, item_id, form.data, exc.translated_all(), status=422)
        flash(request, i18n.gettext("The fee item is saved."), "success")
        return Redirect(_list_url(request, ctx), status_code=303)

    @post("/{item_id:int}/rate", name="fees.item.rate", guards=[requires("fees.manage")])
    async def rate(self, request: Request, ctx: NamedDependency[TenantContext], item_id: FromPath[int]) -> Response:
        form = await Form.read(request)
        try:
            await services.change_rate(ctx, item_id, form)
        except FieldErrors as exc:
            return await _item_page(request, ctx, item_id, form.data, exc.translated_all(), status=422)
        flash(request, i18n.gettext("The new rate is saved; the old one ends the day before."), "success")
        return Redirect(_list_url(request, ctx), status_code=303)
