"""The pages of a staged import (kefu.core.staged_imports), written once: upload -> the job's
page -> preview with each row's errors -> confirm (another job) or discard.

A module makes its router with import_router(...), passing what core may not import:
its services and queries, its label helpers, and the tenancy module's dependency and guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.forms import read_raw
from kefu.core.staged_imports import ALREADY_IMPORTED, ImportNotClean
from kefu.core.tenancy import TenantContext
from kefu.core.uploads import UploadError
from kefu.core.web import flash, render

AnyRequest = Request[Any, Any, Any]


@dataclass(frozen=True)
class ImportPages:
    prefix: str                 # "customers": route names customers.import, customers.preview...
    path: str                   # "/t/{slug:str}/customers/import"
    start_import: Callable[..., Any]
    start_confirm: Callable[..., Any]
    discard_import: Callable[..., Any]
    recent_imports: Callable[..., Any]
    import_preview: Callable[..., Any]
    max_bytes: int
    max_rows: int
    helpers: Callable[[str], dict[str, Any]]
    tenant_context: Callable[..., Any]
    guards: list[Any]

    def route(self, request: AnyRequest, ctx: TenantContext, name: str, **params: Any) -> str:
        return request.app.route_reverse(f"{self.prefix}.{name}", slug=ctx.tenant.slug, **params)

    def job_page(self, request: AnyRequest, ctx: TenantContext, job: Any) -> Response[Any]:
        # The work is done by a worker; the job's page shows how far, then where it leads.
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id),
                        status_code=303)

    async def upload_page(self, request: AnyRequest, ctx: TenantContext, error: str = "", status: int = 200) -> Response[Any]:
        context = self.helpers(ctx.tenant.kind) | {
            "error": error, "recent": await self.recent_imports(ctx),
            "max_mb": self.max_bytes >> 20, "max_rows": self.max_rows,
        }
        return render(request, f"{self.prefix}/import.html", context, status_code=status)


def _upload_routes(p: ImportPages) -> list[Any]:
    @get("/", name=f"{p.prefix}.import", guards=p.guards)
    async def upload_page(request: AnyRequest, ctx: NamedDependency[TenantContext]) -> Response[Any]:
        return await p.upload_page(request, ctx)

    @post("/", name=f"{p.prefix}.upload", guards=p.guards)
    async def upload(request: AnyRequest, ctx: NamedDependency[TenantContext]) -> Response[Any]:
        upload = (await read_raw(request)).get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await p.upload_page(request, ctx, i18n.gettext("Choose a file to upload."), 422)
        content = await upload.read(p.max_bytes + 1)  # one byte more says "too large"
        try:
            job = await p.start_import(ctx, upload.filename, content)
        except UploadError as exc:
            return await p.upload_page(request, ctx, exc.translated(), 422)
        return p.job_page(request, ctx, job)

    return [upload_page, upload]


def _preview_routes(p: ImportPages) -> list[Any]:
    @get("/{import_id:int}", name=f"{p.prefix}.preview", guards=p.guards)
    async def preview(request: AnyRequest, ctx: NamedDependency[TenantContext], import_id: FromPath[int]) -> Response[Any]:
        context = p.helpers(ctx.tenant.kind) | await p.import_preview(ctx, import_id)
        return render(request, f"{p.prefix}/preview.html", context)

    @post("/{import_id:int}/confirm", name=f"{p.prefix}.confirm", guards=p.guards)
    async def confirm(request: AnyRequest, ctx: NamedDependency[TenantContext], import_id: FromPath[int]) -> Response[Any]:
        try:
            job = await p.start_confirm(ctx, import_id)
        except ImportNotClean as refused:
            flash(request, refused.translated(), "error")
            return Redirect(p.route(request, ctx, "preview", import_id=import_id), status_code=303)
        if job is None:
            flash(request, i18n.gettext(ALREADY_IMPORTED))
            return Redirect(p.route(request, ctx, "list"), status_code=303)
        return p.job_page(request, ctx, job)

    @post("/{import_id:int}/discard", name=f"{p.prefix}.discard", guards=p.guards)
    async def discard(request: AnyRequest, ctx: NamedDependency[TenantContext], import_id: FromPath[int]) -> Response[Any]:
        await p.discard_import(ctx, import_id)
        return Redirect(p.route(request, ctx, "import"), status_code=303)

    return [preview, confirm, discard]


def import_router(pages: ImportPages) -> Router:
    """The import pages under pages.path, every route behind pages.guards."""
    return Router(path=pages.path, route_handlers=[*_upload_routes(pages), *_preview_routes(pages)],
                  dependencies={"ctx": Provide(pages.tenant_context)})
