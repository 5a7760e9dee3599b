"""Positions with their duty sets, assignments of members to positions, and training: who is
not cleared for service work since when, results and the form to record one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import forms
from kefu.core.errors import FieldError
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.duties import schemas as s
from kefu.duties.controllers.helpers import duty_pack, today, words
from kefu.duties.queries import assignments as assignment_queries
from kefu.duties.queries import training as training_queries
from kefu.duties.services import assign_position, end_assignment, record_training
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.queries import active_members

MEMBER = [requires("tenant.view")]
MANAGE = [requires("duties.manage")]
TRAIN = [requires("duties.training")]


class PeopleController(Controller):
    path = "/t/{slug:str}/duties"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/positions", name="duties.positions", guards=MEMBER)
    async def positions(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return render(request, "duties/positions.html", (await words(ctx)) | {"duty_pack": (await duty_pack(ctx))})

    async def _assignments(self, request: Request, ctx: TenantContext, errors: dict[str, str] | None = None,
                           values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        context = (await words(ctx)) | {
            "rows": await assignment_queries.assignment_list(ctx.tenant_id, today(ctx)),
            "members": await active_members(ctx.tenant_id), "positions": list(ctx.pack.positions),
            "errors": errors or {}, "values": values or {"starts_on": today(ctx).isoformat(), "role": "holder"},
        }
        return render(request, "duties/assignments.html", context, status_code=status_code)

    @get("/assignments", name="duties.assignments", guards=MANAGE)
    async def assignments(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await self._assignments(request, ctx)

    @post("/assignments", name="duties.assign", guards=MANAGE)
    async def assign(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            data = s.read_assignment(form, list(ctx.pack.positions))
            await assign_position(ctx, user_id=data.user_id, position=data.position, role=data.role,
                                  starts_on=data.starts_on, ends_on=data.ends_on, note=data.note)
        except FieldError as exc:
            return await self._assignments(request, ctx, exc.translated_all(), form.data, 422)
        flash(request, i18n.gettext("The assignment is recorded."), "success")
        return Redirect(request.app.route_reverse("duties.assignments", slug=ctx.tenant.slug), status_code=303)

    @post("/assignments/{assignment_id:int}/end", name="duties.assignment_end", guards=MANAGE)
    async def end(self, request: Request, ctx: NamedDependency[TenantContext], assignment_id: FromPath[int]) -> Response:
        await assignment_queries.assignment_exists(ctx.tenant_id, assignment_id)
        form = await forms.Form.read(request)
        day = form.day("ends_on", required=False)
        try:
            form.check()
            await end_assignment(ctx, assignment_id, ends_on=day)
        except FieldError as exc:
            return await self._assignments(request, ctx, exc.translated_all(), None, 422)
        flash(request, i18n.gettext("The assignment is ended."), "success")
        return Redirect(request.app.route_reverse("duties.assignments", slug=ctx.tenant.slug), status_code=303)

    async def _training(self, request: Request, ctx: TenantContext, errors: dict[str, str] | None = None,
                        values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        pack = (await duty_pack(ctx))
        context = (await words(ctx)) | {
            "clearance": await training_queries.clearance(ctx.tenant_id, pack, today(ctx), ctx.tenant.timezone),
            "records": await training_queries.records(ctx.tenant_id), "courses": list(pack.courses),
            "members": await active_members(ctx.tenant_id), "errors": errors or {},
            "values": values or {"session_on": today(ctx).isoformat(), "result": "passed"},
        }
        return render(request, "duties/training.html", context, status_code=status_code)

    @get("/training", name="duties.training", guards=TRAIN)
    async def training(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await self._training(request, ctx)

    @post("/training", name="duties.training_record", guards=TRAIN)
    async def record(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            data = s.read_training(form, list((await duty_pack(ctx)).courses))
            await record_training(ctx, user_id=data.user_id, course=data.course, session_on=data.session_on,
                                  result=data.result, score=data.score, trainer=data.trainer,
                                  certificate_no=data.certificate_no)
        except FieldError as exc:
            return await self._training(request, ctx, exc.translated_all(), form.data, 422)
        flash(request, i18n.gettext("The training result is recorded."), "success")
        return Redirect(request.app.route_reverse("duties.training", slug=ctx.tenant.slug), status_code=303)
