"""Training sessions (who attended, each one's result) and each department's yearly training
plan beside the sessions held (A art. 8; B.n, C.o)."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.core import excel, forms
from kefu.core.errors import FieldError
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.duties import schemas as s
from kefu.duties.controllers.helpers import duty_pack, today, words
from kefu.duties.queries import training as queries
from kefu.duties.services import Attendance, add_plan_item, record_session
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.queries import active_members

TRAIN = [requires("duties.training")]


class TrainingController(Controller):
    path = "/t/{slug:str}/duties/training"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    async def _sessions(self, request: Request, ctx: TenantContext, errors: dict[str, str] | None = None,
                        form: forms.Form | None = None, status_code: int = 200) -> Response:
        pack = (await duty_pack(ctx))
        context = (await words(ctx)) | {
            "rows": await queries.sessions(ctx.tenant_id), "members": await active_members(ctx.tenant_id),
            "courses": list(pack.courses), "departments": list(pack.departments), "errors": errors or {},
            "values": form.data if form else {"session_on": today(ctx).isoformat()},
            "attended": set(form.lists.get("attended", [])) if form else set(),
            "passed": set(form.lists.get("passed", [])) if form else set(),
        }
        return render(request, "duties/sessions.html", context, status_code=status_code)

    @get("/sessions", name="duties.training_sessions", guards=TRAIN)
    async def sessions(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await self._sessions(request, ctx)

    @post("/sessions", name="duties.training_session_record", guards=TRAIN)
    async def record(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        pack = (await duty_pack(ctx))
        members = [m["id"] for m in await active_members(ctx.tenant_id)]
        try:
            data = s.read_session(form, list(pack.courses), list(pack.departments), members)
            row = await record_session(
                ctx, course=data.course, department=data.department, session_on=data.session_on,
                trainer=data.trainer, place=data.place,
                attendees=[Attendance(uid, uid in data.passed) for uid in data.attended])
        except FieldError as exc:
            return await self._sessions(request, ctx, exc.translated_all(), form, 422)
        flash(request, i18n.gettext("The training session is recorded."), "success")
        return Redirect(request.app.route_reverse("duties.training_session", slug=ctx.tenant.slug, session_id=row.id),
                        status_code=303)

    @get("/certificates.xlsx", name="duties.training_certificates_xlsx", guards=TRAIN)
    async def certificates(self, ctx: NamedDependency[TenantContext]) -> Response:
        rows = await queries.certificates(ctx.tenant_id)
        labels = await words(ctx)
        course = labels["course_label"]
        headers = [i18n.gettext("Certificate number"), i18n.gettext("Member"), i18n.gettext("Course"),
                   i18n.gettext("Date"), i18n.gettext("Valid until")]
        lines = [[r["certificate_no"], r["name"], course(r["course"]), r["session_on"], r["expires_on"]] for r in rows]
        content = await asyncio.to_thread(excel.table, i18n.gettext("Training certificates"), headers, lines,
                                          tz=ctx.tenant.timezone)
        return excel.download(content, "training-certificates.xlsx")

    @get("/sessions/{session_id:int}", name="duties.training_session", guards=TRAIN)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], session_id: FromPath[int]) -> Response:
        context = (await words(ctx)) | await queries.session(ctx.tenant_id, session_id)
        return render(request, "duties/session.html", context)

    async def _plan(self, request: Request, ctx: TenantContext, year: int, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        pack = (await duty_pack(ctx))
        context = (await words(ctx)) | {
            "year": year, "rows": await queries.plan(ctx.tenant_id, year), "courses": list(pack.courses),
            "departments": list(pack.departments), "errors": errors or {},
            "values": values or {"year": str(year), "month": str(today(ctx).month)},
        }
        return render(request, "duties/plan.html", context, status_code=status_code)

    @get("/plan", name="duties.training_plan", guards=TRAIN)
    async def plan(self, request: Request, ctx: NamedDependency[TenantContext], year: FromQuery[str] = "") -> Response:
        this_year = today(ctx).year
        shown = int(year) if year.isascii() and year.isdigit() and this_year - 5 <= int(year) <= this_year + 1 else this_year
        return await self._plan(request, ctx, shown)

    @post("/plan", name="duties.training_plan_add", guards=TRAIN)
    async def add(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        pack = (await duty_pack(ctx))
        try:
            data = s.read_plan_item(form, list(pack.departments), list(pack.courses))
            await add_plan_item(ctx, year=data.year, department=data.department, course=data.course,
                                month=data.month, note=data.note)
        except FieldError as exc:
            return await self._plan(request, ctx, today(ctx).year, exc.translated_all(), form.data, 422)
        flash(request, i18n.gettext("The plan line is added."), "success")
        return Redirect(request.app.route_reverse("duties.training_plan", slug=ctx.tenant.slug) + f"?year={data.year}",
                        status_code=303)
