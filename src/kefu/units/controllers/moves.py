"""Move-in and move-out pages: start one from a unit, tick its checklist, complete it, and
print the handover form (PDF with Chinese glyphs, kefu.core.pdf)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import pdf
from kefu.core.errors import FieldErrors
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import policy, queries, services
from kefu.units.labels import helpers

VIEW = [requires("units.view")]
DESK = [requires("units.desk")]


async def _fields(request: Request) -> dict[str, str]:
    form = await Form.read(request)
    return {k: v[0] for k, v in form.lists.items() if k in ("kind", "customer", "role", "item", "note")}


def move_url(request: Request, ctx: TenantContext, move_id: int) -> str:
    return request.app.route_reverse("units.move", slug=ctx.tenant.slug, move_id=move_id)


async def _move(request: Request, ctx: TenantContext, move_id: int, errors: dict | None = None,
                status: int = 200) -> Response:
    context = helpers(ctx.tenant.kind) | await queries.move_page(ctx, move_id) | {"errors": errors or {}}
    return render(request, "units/move.html", context, status_code=status)


class MoveController(Controller):
    path = "/t/{slug:str}/units"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @post("/{unit_id:int}/moves", name="units.move_start", guards=DESK)
    async def start(self, request: Request, ctx: NamedDependency[TenantContext], unit_id: FromPath[int]) -> Response:
        await queries.get_unit(ctx, unit_id)  # 404 before reading the form
        data = await _fields(request)
        try:
            move = await services.start_move(ctx, unit_id, data)
        except FieldErrors as exc:
            context = helpers(ctx.tenant.kind) | await queries.unit_page(ctx, unit_id) | {
                "form": "move", "data": data, "errors": exc.translated_all()}
            return render(request, "units/detail.html", context, status_code=422)
        except policy.MoveRefused as refused:
            flash(request, refused.translated(), "error")
            return Redirect(request.app.route_reverse("units.detail", slug=ctx.tenant.slug, unit_id=unit_id),
                            status_code=303)
        return Redirect(move_url(request, ctx, move.id), status_code=303)

    @get("/moves/{move_id:int}", name="units.move", guards=VIEW)
    async def page(self, request: Request, ctx: NamedDependency[TenantContext], move_id: FromPath[int]) -> Response:
        return await _move(request, ctx, move_id)

    @post("/moves/{move_id:int}/tick", name="units.move_tick", guards=DESK)
    async def tick(self, request: Request, ctx: NamedDependency[TenantContext], move_id: FromPath[int]) -> Response:
        await queries.move_page(ctx, move_id)  # 404 before reading the form
        try:
            await services.tick_item(ctx, move_id, await _fields(request))
        except FieldErrors as exc:
            return await _move(request, ctx, move_id, exc.translated_all(), 422)
        except policy.MoveRefused as refused:
            flash(request, refused.translated(), "error")
        return Redirect(move_url(request, ctx, move_id), status_code=303)

    @post("/moves/{move_id:int}/complete", name="units.move_complete", guards=DESK)
    async def complete(self, request: Request, ctx: NamedDependency[TenantContext], move_id: FromPath[int]) -> Response:
        try:
            move = await services.complete_move(ctx, move_id)
        except policy.MoveRefused as refused:
            flash(request, refused.translated(), "error")
            return Redirect(move_url(request, ctx, move_id), status_code=303)
        flash(request, i18n.gettext("Completed: the unit's occupancy is changed."), "success")
        return Redirect(request.app.route_reverse("units.detail", slug=ctx.tenant.slug, unit_id=move.unit),
                        status_code=303)

    @get("/moves/{move_id:int}/handover.pdf", name="units.handover", guards=VIEW)
    async def handover(self, request: Request, ctx: NamedDependency[TenantContext], move_id: FromPath[int]) -> Response:
        context = helpers(ctx.tenant.kind) | await queries.move_page(ctx, move_id) | {
            "tenant": ctx.tenant, "locale": i18n.current_locale()}
        try:
            content = await pdf.render_pdf("units/handover_print.html", context)
        except pdf.PdfUnavailable as exc:
            return render(request, "errors/error.html",
                          {"status": 503, "message": exc.translated(), "fields": {}}, status_code=503)
        response = pdf.download(content, f"handover-{move_id}.pdf", "application/pdf")
        response.headers["Cache-Control"] = "private, no-store"
        return response
