"""Staff pages of the customer registry: the list with search, filters, paging and its Excel
export; the new and edit forms; a customer's page with their complaints and survey invitations.
"""

from __future__ import annotations

import asyncio

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.customers import services
from kefu.customers.controllers.labels import helpers, workbook
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("customers.view")]
MANAGE = [requires("customers.manage")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_FIELDS = (
    "name", "kind", "phone", "email", "postal_address", "external_ref", "building", "unit",
    "consent", "preferred_channel", "tags", "notes", "is_active",
)


async def read_fields(request: Request) -> dict[str, str]:
    raw = await request.form()
    return {k: v for k, v in raw.items() if k in FORM_FIELDS and isinstance(v, str)}


def detail_url(request: Request, ctx: TenantContext, customer_id: int) -> str:
    return request.app.route_reverse("customers.detail", slug=ctx.tenant.slug, customer_id=customer_id)


def _form(request: Request, ctx: TenantContext, data: dict, errors: dict, customer=None,
          status: int = 200) -> Response:
    context = helpers(ctx.tenant.kind) | {"data": data, "errors": errors, "customer": customer}
    return render(request, "customers/form.html", context, status_code=status)


class CustomerController(Controller):
    path = "/t/{slug:str}/customers"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="customers.list", guards=VIEW)
    async def list_customers(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        filters = services.parse_filters(request.query_params, ctx.tenant.kind)
        page = await services.search_customers(ctx, filters, request.query_params.get("page"))
        context = helpers(ctx.tenant.kind) | await services.filter_choices(ctx) | {
            "page": page, "filters": filters,
        }
        return render(request, "customers/list.html", context, fragment="results")

    @get("/export.xlsx", name="customers.export", guards=VIEW)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        filters = services.parse_filters(request.query_params, ctx.tenant.kind)
        rows = await services.export_rows(ctx, filters)
        headers = {
            "Content-Disposition": f'attachment; filename="customers-{ctx.tenant.slug}.xlsx"',
            "Cache-Control": "private, no-store",
        }
        content = await asyncio.to_thread(workbook, rows)  # the locale travels in the context
        return Response(content, media_type=XLSX, headers=headers)

    @get("/new", name="customers.new", guards=MANAGE)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        kinds = helpers(ctx.tenant.kind)["kinds"]
        return _form(request, ctx, {"kind": kinds[0] if kinds else "", "preferred_channel": ""}, {})

    @post("/", name="customers.create", guards=MANAGE)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        data = await read_fields(request)
        try:
            c = await services.create_customer(ctx, data)
        except services.CustomerErrors as exc:
            return _form(request, ctx, data, exc.translated(), status=422)
        flash(request, i18n.gettext("The customer is saved."), "success")
        return Redirect(detail_url(request, ctx, c.id), status_code=303)

    @get("/{customer_id:int}", name="customers.detail", guards=VIEW)
    async def detail(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        context = helpers(ctx.tenant.kind) | await services.customer_page(ctx, customer_id)
        return render(request, "customers/detail.html", context)

    @get("/{customer_id:int}/edit", name="customers.edit", guards=MANAGE)
    async def edit(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        page = await services.customer_page(ctx, customer_id)
        data = services.form_values(page["c"], page["tags"])
        return _form(request, ctx, data, {}, page["c"])

    @post("/{customer_id:int}", name="customers.update", guards=MANAGE)
    async def update(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        c = await services.get_customer(ctx, customer_id)  # 404 before reading the form
        data = await read_fields(request)
        try:  # every field is checked before anything is written
            await services.update_customer(ctx, customer_id, data)
        except services.CustomerErrors as exc:
            return _form(request, ctx, data, exc.translated(), c, status=422)
        flash(request, i18n.gettext("The customer is saved."), "success")
        return Redirect(detail_url(request, ctx, customer_id), status_code=303)
