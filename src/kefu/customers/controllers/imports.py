"""The customer import pages: upload -> preview with each row's errors -> confirm (or discard)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.customers import importing, imports
from kefu.customers.controllers.labels import helpers
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

MANAGE = [requires("customers.manage")]
PREVIEW_ROWS = 500  # rows shown on the preview page; every error is listed regardless


def _preview_url(request: Request, ctx: TenantContext, import_id: int) -> str:
    return request.app.route_reverse("customers.preview", slug=ctx.tenant.slug, import_id=import_id)


async def _upload_page(request: Request, ctx: TenantContext, error: str = "", status: int = 200) -> Response:
    context = helpers(ctx.tenant.kind) | {
        "error": error, "recent": await imports.recent_imports(ctx),
        "max_mb": importing.MAX_BYTES >> 20, "max_rows": importing.MAX_ROWS,
    }
    return render(request, "customers/import.html", context, status_code=status)


def _row_errors(errors: list[dict]) -> dict[int, list[dict]]:
    by_row: dict[int, list[dict]] = {}
    for e in errors:
        text = i18n.gettext(e["message"], **e.get("vars", {})) if e.get("vars") else i18n.gettext(e["message"])
        by_row.setdefault(e["row"], []).append({"field": e["field"], "text": text})
    return by_row




class CustomerImportController(Controller):
    path = "/t/{slug:str}/customers/import"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="customers.import", guards=MANAGE)
    async def upload_page(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await _upload_page(request, ctx)

    @post("/", name="customers.upload", guards=MANAGE)
    async def upload(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _upload_page(request, ctx, i18n.gettext("Choose a file to upload."), 422)
        # One byte more than allowed is enough to say the file is too large.
        content = await upload.read(importing.MAX_BYTES + 1)
        try:
            imp = await imports.preview_import(ctx, upload.filename, content)
        except importing.ImportFileError as exc:
            return await _upload_page(request, ctx, exc.translated(), 422)
        return Redirect(_preview_url(request, ctx, imp.id), status_code=303)

    @get("/{import_id:int}", name="customers.preview", guards=MANAGE)
    async def preview(
        self, request: Request, ctx: NamedDependency[TenantContext], import_id: FromPath[int]
    ) -> Response:
        imp = await imports.get_import(ctx, import_id)
        rows = imports.rows_of(imp)
        errors = _row_errors(imports.errors_of(imp))
        shown = [r for r in rows if r["row"] in errors][:PREVIEW_ROWS] if errors else rows[:PREVIEW_ROWS]
        columns = list(rows[0]["values"]) if rows else []
        context = helpers(ctx.tenant.kind) | {
            "imp": imp, "rows": shown, "row_errors": errors, "columns": columns,
            "hidden": max(0, (len(errors) if errors else len(rows)) - len(shown)),
        }
        return render(request, "customers/preview.html", context)

    @post("/{import_id:int}/confirm", name="customers.confirm", guards=MANAGE)
    async def confirm(
        self, request: Request, ctx: NamedDependency[TenantContext], import_id: FromPath[int]
    ) -> Response:
        try:
            imp, counts = await imports.confirm_import(ctx, import_id)
        except imports.ImportNotClean:
            flash(request, i18n.gettext("This file has errors: correct them and upload it again. "
                                        "Nothing was imported."), "error")
            return Redirect(_preview_url(request, ctx, import_id), status_code=303)
        except imports.ImportConflict:
            flash(request, i18n.gettext("Someone added some of these customers at the same moment. "
                                        "Nothing was imported: confirm again."), "error")
            return Redirect(_preview_url(request, ctx, import_id), status_code=303)
        if counts is None:
            flash(request, i18n.gettext("This file was imported already; nothing more was done."))
        else:
            flash(request, i18n.gettext("Imported: %(inserted)s new customers, %(updated)s updated.",
                                        **counts), "success")
        return Redirect(
            request.app.route_reverse("customers.list", slug=ctx.tenant.slug), status_code=303
        )

    @post("/{import_id:int}/discard", name="customers.discard", guards=MANAGE)
    async def discard(
        self, request: Request, ctx: NamedDependency[TenantContext], import_id: FromPath[int]
    ) -> Response:
        await imports.discard_import(ctx, import_id)
        return Redirect(
            request.app.route_reverse("customers.import", slug=ctx.tenant.slug), status_code=303
        )
