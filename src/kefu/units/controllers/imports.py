"""The unit import pages: upload -> preview with each row's errors -> confirm (or discard)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.forms import read_raw
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import queries, schemas, services
from kefu.units.labels import helpers

MANAGE = [requires("units.manage")]


def _preview_url(request: Request, ctx: TenantContext, import_id: int) -> str:
    return request.app.route_reverse("units.preview", slug=ctx.tenant.slug, import_id=import_id)


async def _upload_page(request: Request, ctx: TenantContext, error: str = "", status: int = 200) -> Response:
    context = helpers(ctx.tenant.kind) | {
        "error": error, "recent": await queries.recent_imports(ctx),
        "max_mb": schemas.MAX_BYTES >> 20, "max_rows": schemas.MAX_ROWS,
    }
    return render(request, "units/import.html", context, status_code=status)


class UnitImportController(Controller):
    path = "/t/{slug:str}/units/import"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="units.import", guards=MANAGE)
    async def upload_page(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await _upload_page(request, ctx)

    @post("/", name="units.upload", guards=MANAGE)
    async def upload(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await read_raw(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _upload_page(request, ctx, i18n.gettext("Choose a file to upload."), 422)
        content = await upload.read(schemas.MAX_BYTES + 1)  # one byte more says "too large"
        try:
            job = await services.start_import(ctx, upload.filename, content)
        except schemas.ImportFileError as exc:
            return await _upload_page(request, ctx, exc.translated(), 422)
        # The file is read and checked by a worker; the job's page shows how far, then the preview.
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id),
                        status_code=303)

    @get("/{import_id:int}", name="units.preview", guards=MANAGE)
    async def preview(
        self, request: Request, ctx: NamedDependency[TenantContext], import_id: FromPath[int]
    ) -> Response:
        context = helpers(ctx.tenant.kind) | await queries.import_preview(ctx, import_id)
        return render(request, "units/preview.html", context)

    @post("/{import_id:int}/confirm", name="units.confirm", guards=MANAGE)
    async def confirm(
        self, request: Request, ctx: NamedDependency[TenantContext], import_id: FromPath[int]
    ) -> Response:
        try:
            job = await services.start_confirm(ctx, import_id)
        except services.ImportNotClean as refused:
            flash(request, refused.translated(), "error")
            return Redirect(_preview_url(request, ctx, import_id), status_code=303)
        if job is None:
            flash(request, i18n.gettext(services.ALREADY_IMPORTED))
            return Redirect(request.app.route_reverse("units.list", slug=ctx.tenant.slug), status_code=303)
        # The rows are written by a worker; the job's page shows how far, then the unit list.
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id),
                        status_code=303)

    @post("/{import_id:int}/discard", name="units.discard", guards=MANAGE)
    async def discard(
        self, request: Request, ctx: NamedDependency[TenantContext], import_id: FromPath[int]
    ) -> Response:
        await services.discard_import(ctx, import_id)
        return Redirect(request.app.route_reverse("units.import", slug=ctx.tenant.slug), status_code=303)
