"""Staff pages of buildings and units: the list with search, the building filter, paging and
its Excel export; the new and edit forms; a unit's page with its occupancy history."""

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
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import policy, queries, schemas, services
from kefu.units.labels import helpers
from kefu.workers.services import start_export

VIEW = [requires("units.view")]
MANAGE = [requires("units.manage")]


async def read_fields(request: Request) -> dict[str, str]:
    """The unit form's fields as posted, through the shared gate (policy.check_unit checks each)."""
    form = await Form.read(request)
    return schemas.form_fields({k: values[0] for k, values in form.lists.items()})


def _filters(request: Request, ctx: TenantContext) -> schemas.Filters:
    return schemas.parse_filters(request.query_params, policy.units_pack(ctx.tenant.kind).use_codes())


def detail_url(request: Request, ctx: TenantContext, unit_id: int) -> str:
    return request.app.route_reverse("units.detail", slug=ctx.tenant.slug, unit_id=unit_id)


def _form(request: Request, ctx: TenantContext, data: dict, errors: dict, unit=None,
          status: int = 200) -> Response:
    context = helpers(ctx.tenant.kind) | {"data": data, "errors": errors, "unit": unit}
    return render(request, "units/form.html", context, status_code=status)


class UnitController(Controller):
    path = "/t/{slug:str}/units"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="units.list", guards=VIEW)
    async def list_units(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        filters = _filters(request, ctx)
        page = await queries.search_units(ctx, filters, request.query_params.get("page"))
        context = helpers(ctx.tenant.kind) | {
            "page": page, "filters": filters, "buildings": await queries.buildings(ctx),
        }
        return render(request, "units/list.html", context, fragment="results")

    @get("/export.xlsx", name="units.export", guards=VIEW)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        args = queries.export_args(_filters(request, ctx))
        if excel.is_large(rows := await queries.export_count(ctx, args)):
            return excel.large(request, queries.EXPORTING, rows)  # its button: export_job
        return excel.respond(await queries.export_file(ctx, args))

    @post("/export.xlsx", name="units.export_job", guards=VIEW)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A large export (the list's filters in the query string), written by a job."""
        job = await start_export(ctx, "export_units", queries.EXPORTING,
                                 queries.export_args(_filters(request, ctx)), "units.list")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @get("/new", name="units.new", guards=MANAGE)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        uses = policy.units_pack(ctx.tenant.kind).use_codes()
        return _form(request, ctx, {"use": uses[0] if uses else ""}, {})

    @post("/", name="units.create", guards=MANAGE)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        data = await read_fields(request)
        try:
            u = await services.create_unit(ctx, data)
        except FieldErrors as exc:
            return _form(request, ctx, data, exc.translated_all(), status=422)
        flash(request, i18n.gettext("The unit is saved."), "success")
        return Redirect(detail_url(request, ctx, u.id), status_code=303)

    @get("/{unit_id:int}", name="units.detail", guards=VIEW)
    async def detail(
        self, request: Request, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]
    ) -> Response:
        context = helpers(ctx.tenant.kind) | await queries.unit_page(ctx, unit_id) | {
            "form": "", "data": {}, "errors": {}}
        return render(request, "units/detail.html", context)

    @get("/{unit_id:int}/edit", name="units.edit", guards=MANAGE)
    async def edit(
        self, request: Request, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]
    ) -> Response:
        u, data = await queries.edit_form(ctx, unit_id)
        return _form(request, ctx, data, {}, u)

    @post("/{unit_id:int}", name="units.update", guards=MANAGE)
    async def update(
        self, request: Request, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]
    ) -> Response:
        u = await queries.get_unit(ctx, unit_id)  # 404 before reading the form
        data = await read_fields(request)
        try:
            await services.update_unit(ctx, unit_id, data)
        except FieldErrors as exc:
            return _form(request, ctx, data, exc.translated_all(), u, status=422)
        flash(request, i18n.gettext("The unit is saved."), "success")
        return Redirect(detail_url(request, ctx, unit_id), status_code=303)
