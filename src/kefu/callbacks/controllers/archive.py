"""The record archive (art. 25): search by customer, campaign, kind and date; one record with
its addenda; the XLSX export."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from kefu.callbacks import queries
from kefu.callbacks.controllers.helpers import pack, words
from kefu.callbacks.queries import archive
from kefu.core import excel
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export

VIEW = [requires("callbacks.view")]


class ArchiveController(Controller):
    path = "/t/{slug:str}/callbacks/archive"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="callbacks.archive", guards=VIEW)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext],
                    page: FromQuery[str | None] = None) -> Response:
        f = queries.Filters.read(dict(request.query_params))
        found = await queries.search_records(ctx, f, page)
        context = {"page": found, "f": f, "kinds": pack(ctx).kinds, "qs": f.query_string()}
        return render(request, "callbacks/archive.html", words(ctx) | context, fragment="rows")

    @get("/export", name="callbacks.archive_export", guards=VIEW)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        args = archive.export_args(queries.Filters.read(dict(request.query_params)))
        if excel.is_large(rows := await archive.export_count(ctx, args)):
            return excel.large(request, archive.EXPORTING, rows)  # its button: export_job
        return excel.respond(await archive.export_file(ctx, args))

    @post("/export", name="callbacks.archive_export_job", guards=VIEW)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A large export (the archive's filters in the query string), written by a job."""
        args = archive.export_args(queries.Filters.read(dict(request.query_params)))
        job = await start_export(ctx, "export_callback_records", archive.EXPORTING, args, "callbacks.archive")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @get("/{record_id:int}", name="callbacks.record", guards=VIEW)
    async def record(self, request: Request, ctx: NamedDependency[TenantContext], record_id: FromPath[int]) -> Response:
        found = await queries.record(ctx, record_id)
        return render(request, "callbacks/record.html", words(ctx) | {
            "r": found, "addenda": await queries.addenda_of(ctx.tenant_id, record_id),
            "files": await queries.files_of(ctx.tenant_id, record_id)})
