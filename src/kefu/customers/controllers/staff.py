"""Staff pages of the customer registry: the list with search, filters, paging and its Excel
export; the new and edit forms; a customer's page (its complaints and survey invitations are sections
the page loads from those modules' routes).
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import excel
from kefu.core.errors import FieldErrors
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.customers import policy, queries, schemas, services
from kefu.customers.controllers.labels import helpers
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("customers.view")]
MANAGE = [requires("customers.manage")]


async def read_fields(request: Request) -> dict[str, str]:
    """The customer form's fields as posted (the shared gate refuses a body that is not UTF-8
    or has too many fields); policy.check_customer checks each value, NUL included."""
    form = await Form.read(request)
    return schemas.form_fields({k: values[0] for k, values in form.lists.items()})


def _filters(request: Request, ctx: TenantContext) -> schemas.Filters:
    return schemas.parse_filters(request.query_params, policy.kinds_for(ctx.tenant.kind))


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
        filters = _filters(request, ctx)
        page = await queries.search_customers(ctx, filters, request.query_params.get("page"))
        context = helpers(ctx.tenant.kind) | await queries.filter_choices(ctx) | {
            "page": page, "filters": filters, "sync_export_rows": queries.SYNC_EXPORT_ROWS,
        }
        return render(request, "customers/list.html", context, fragment="results")

    @get("/export.xlsx", name="customers.export", guards=VIEW)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        filters = _filters(request, ctx)
        if await queries.export_count(ctx, filters) > queries.SYNC_EXPORT_ROWS:
            # Too large to write in a request: the list's export button starts a job instead.
            flash(request, i18n.gettext("This export is large: use the export button, it is prepared in the background."))
            list_url = request.app.route_reverse("customers.list", slug=ctx.tenant.slug)
            return Redirect(f"{list_url}?{filters.query_string()}", status_code=303)
        content = await queries.export_customers(ctx, filters)
        response = excel.download(content, f"customers-{ctx.tenant.slug}.xlsx")
        response.headers["Cache-Control"] = "private, no-store"  # personal data
        return response

    @post("/export", name="customers.export_job", guards=VIEW)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A large export (the list's filters in the query string), written by a job."""
        job = await services.start_export(ctx, _filters(request, ctx))
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @get("/new", name="customers.new", guards=MANAGE)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        kinds = policy.kinds_for(ctx.tenant.kind)
        return _form(request, ctx, {"kind": kinds[0] if kinds else "", "preferred_channel": ""}, {})

    @post("/", name="customers.create", guards=MANAGE)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        data = await read_fields(request)
        try:
            c = await services.create_customer(ctx, data)
        except FieldErrors as exc:
            return _form(request, ctx, data, exc.translated_all(), status=422)
        flash(request, i18n.gettext("The customer is saved."), "success")
        return Redirect(detail_url(request, ctx, c.id), status_code=303)

    @get("/{customer_id:int}", name="customers.detail", guards=VIEW)
    async def detail(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        context = helpers(ctx.tenant.kind) | await queries.customer_page(ctx, customer_id)
        return render(request, "customers/detail.html", context)

    @get("/{customer_id:int}/edit", name="customers.edit", guards=MANAGE)
    async def edit(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        c, data = await queries.edit_form(ctx, customer_id)
        return _form(request, ctx, data, {}, c)

    @post("/{customer_id:int}", name="customers.update", guards=MANAGE)
    async def update(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        c = await queries.get_customer(ctx, customer_id)  # 404 before reading the form
        data = await read_fields(request)
        try:  # every field is checked before anything is written
            await services.update_customer(ctx, customer_id, data)
        except FieldErrors as exc:
            return _form(request, ctx, data, exc.translated_all(), c, status=422)
        flash(request, i18n.gettext("The customer is saved."), "success")
        return Redirect(detail_url(request, ctx, customer_id), status_code=303)
