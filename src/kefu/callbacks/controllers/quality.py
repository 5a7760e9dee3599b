"""Callback quality (A art. 27): the sample QA has still to score, and scoring one record on the
pack's scoring sheet."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.callbacks import problem_schemas as schemas
from kefu.callbacks import queries
from kefu.callbacks.controllers.helpers import words
from kefu.callbacks.policy.quality import quality_for
from kefu.callbacks.queries import quality as quality_queries
from kefu.callbacks.services import quality as quality_services
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

SCORE = [requires("callbacks.score")]


class QualityController(Controller):
    path = "/t/{slug:str}/callbacks"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/quality", name="callbacks.quality", guards=SCORE)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        rows = await quality_queries.to_score(ctx)
        return render(request, "callbacks/quality.html", words(ctx) | {
            "rows": rows, "sample_percent": quality_for(ctx.tenant.kind).sample_percent})

    async def _page(self, request: Request, ctx: TenantContext, record_id: int, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        found = await queries.record(ctx, record_id)
        return render(request, "callbacks/score.html", words(ctx) | {
            "r": found, "sheet": quality_for(ctx.tenant.kind).sheet,
            "score": await quality_queries.score_of(ctx.tenant_id, record_id),
            "errors": errors or {}, "values": values or {}}, status_code=status_code)

    @get("/records/{record_id:int}/score", name="callbacks.record_score", guards=SCORE)
    async def show(self, request: Request, ctx: NamedDependency[TenantContext], record_id: FromPath[int]) -> Response:
        return await self._page(request, ctx, record_id)

    @post("/records/{record_id:int}/score", name="callbacks.record_score_save", guards=SCORE)
    async def save(self, request: Request, ctx: NamedDependency[TenantContext], record_id: FromPath[int]) -> Response:
        await queries.record(ctx, record_id)
        form = await Form.read(request)
        try:
            points, comment = schemas.score_input(form, quality_for(ctx.tenant.kind))
            await quality_services.score_record(ctx, record_id, points, comment)
        except FieldError as exc:
            return await self._page(request, ctx, record_id, exc.translated_all(), form.data, 422)
        except Refused as exc:
            return await self._page(request, ctx, record_id, {"score": exc.translated()}, form.data, 409)
        flash(request, i18n.gettext("The score is saved."), "success")
        return Redirect(request.app.route_reverse("callbacks.record_score", slug=ctx.tenant.slug, record_id=record_id),
                        status_code=303)
