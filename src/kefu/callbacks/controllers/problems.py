"""Problems found in callbacks (A art. 26): the list, one problem (assign, close, make it a
complaint), and raising one from a record or, at once, from a task."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.callbacks import problem_schemas as schemas
from kefu.callbacks import queries, services
from kefu.callbacks.controllers.helpers import words
from kefu.callbacks.policy.quality import quality_for
from kefu.callbacks.queries import problems as problem_queries
from kefu.callbacks.services import problems as problem_services
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.labels import Labels
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.queries import active_members

WORK = [requires("callbacks.work")]
MANAGE = [requires("callbacks.manage")]
PROBLEM_STATUS = Labels({"open": i18n.lazy("Open"), "closed": i18n.lazy("Closed")})


def problem_words(ctx: TenantContext) -> dict[str, Any]:
    q = quality_for(ctx.tenant.kind)
    causes = Labels({c.code: {"zh_CN": c.name, "en": c.name_en} for c in q.causes})
    return words(ctx) | {"causes": q.causes, "positions": ctx.pack.positions, "cause_label": causes,
                         "problem_status_label": PROBLEM_STATUS}


class ProblemController(Controller):
    path = "/t/{slug:str}/callbacks"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/problems", name="callbacks.problems", guards=WORK)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext], status: FromQuery[str] = "open",
                    page: FromQuery[str | None] = None) -> Response:
        found = await problem_queries.problems(ctx, services.my_positions(ctx), status, page)
        return render(request, "callbacks/problems.html", problem_words(ctx) | {
            "page": found, "status": "closed" if status == "closed" else "open"}, fragment="rows")

    async def _page(self, request: Request, ctx: TenantContext, problem_id: int, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        found = await problem_queries.problem(ctx, services.my_positions(ctx), problem_id)
        members = await active_members(ctx.tenant_id) if ctx.can("callbacks.manage") else []
        return render(request, "callbacks/problem.html", problem_words(ctx) | {
            "p": found, "errors": errors or {}, "values": values or {}, "members": members}, status_code=status_code)

    @get("/problems/{problem_id:int}", name="callbacks.problem", guards=WORK)
    async def show(self, request: Request, ctx: NamedDependency[TenantContext], problem_id: FromPath[int]) -> Response:
        return await self._page(request, ctx, problem_id)

    async def _run(self, request: Request, ctx: TenantContext, problem_id: int, form: Form,
                   action: Callable[[], Awaitable[Any]], done: str) -> Response:
        try:
            await action()
        except FieldError as exc:
            return await self._page(request, ctx, problem_id, exc.translated_all(), form.data, 422)
        except Refused as exc:
            return await self._page(request, ctx, problem_id, {"problem": exc.translated()}, form.data, 409)
        flash(request, done, "success")
        return Redirect(request.app.route_reverse("callbacks.problem", slug=ctx.tenant.slug, problem_id=problem_id),
                        status_code=303)

    @post("/problems/{problem_id:int}/assign", name="callbacks.problem_assign", guards=MANAGE)
    async def assign(self, request: Request, ctx: NamedDependency[TenantContext], problem_id: FromPath[int]) -> Response:
        await problem_queries.problem(ctx, services.my_positions(ctx), problem_id)
        form = await Form.read(request)

        async def act() -> None:
            position, assignee, due_on = schemas.assign_input(form, list(ctx.pack.positions),
                                                              clock.today_in(ctx.tenant.timezone))
            await problem_services.assign_problem(ctx, problem_id, position=position, assignee_id=assignee,
                                                  due_on=due_on)
        return await self._run(request, ctx, problem_id, form, act, i18n.gettext("The problem is assigned."))

    @post("/problems/{problem_id:int}/close", name="callbacks.problem_close", guards=WORK)
    async def close(self, request: Request, ctx: NamedDependency[TenantContext], problem_id: FromPath[int]) -> Response:
        await problem_queries.problem(ctx, services.my_positions(ctx), problem_id)
        form = await Form.read(request)

        async def act() -> None:
            await problem_services.close_problem(ctx, problem_id, schemas.close_input(form), services.my_positions(ctx))
        return await self._run(request, ctx, problem_id, form, act, i18n.gettext("The problem is closed."))

    @post("/problems/{problem_id:int}/complaint", name="callbacks.problem_complaint", guards=MANAGE)
    async def complaint(self, request: Request, ctx: NamedDependency[TenantContext],
                        problem_id: FromPath[int]) -> Response:
        await problem_queries.problem(ctx, services.my_positions(ctx), problem_id)
        form = await Form.read(request)
        return await self._run(request, ctx, problem_id, form,
                               lambda: problem_services.problem_to_complaint(ctx, problem_id),
                               i18n.gettext("The problem is registered as a complaint."))

    async def _raise(self, request: Request, ctx: TenantContext, task_id: int, form: Form,
                     action: Callable[[], Awaitable[Any]], record: dict[str, Any] | None = None) -> Response:
        try:
            problem = await action()
        except FieldError as exc:
            return await self._raise_form(request, ctx, task_id, exc.translated_all(), form.data, record)
        flash(request, i18n.gettext("The problem is raised."), "success")
        return Redirect(request.app.route_reverse("callbacks.problem", slug=ctx.tenant.slug, problem_id=problem.id),
                        status_code=303)

    async def _raise_form(self, request: Request, ctx: TenantContext, task_id: int, errors: dict[str, str],
                          values: dict[str, Any], record: dict[str, Any] | None) -> Response:
        found = await queries.task_page(ctx, task_id)
        return render(request, "callbacks/problem_new.html", problem_words(ctx) | found | {
            "record": record, "errors": errors, "values": values}, status_code=422)

    @get("/records/{record_id:int}/problems/new", name="callbacks.record_problem_new", guards=WORK)
    async def new_from_record(self, request: Request, ctx: NamedDependency[TenantContext],
                              record_id: FromPath[int]) -> Response:
        rec = await queries.visible_record(ctx, record_id)
        found = await queries.task_page(ctx, rec["task_id"])
        return render(request, "callbacks/problem_new.html", problem_words(ctx) | found | {
            "record": rec, "errors": {}, "values": {}})

    @get("/tasks/{task_id:int}/problems/new", name="callbacks.task_problem_new", guards=WORK)
    async def new_from_task(self, request: Request, ctx: NamedDependency[TenantContext],
                            task_id: FromPath[int]) -> Response:
        found = await queries.task_page(ctx, task_id)
        return render(request, "callbacks/problem_new.html", problem_words(ctx) | found | {
            "record": None, "errors": {}, "values": {}})

    @post("/records/{record_id:int}/problems", name="callbacks.record_problem", guards=WORK)
    async def from_record(self, request: Request, ctx: NamedDependency[TenantContext],
                          record_id: FromPath[int]) -> Response:
        rec = await queries.visible_record(ctx, record_id)
        form = await Form.read(request)

        async def act() -> Any:
            data = schemas.problem_input(form, quality_for(ctx.tenant.kind), list(ctx.pack.positions))
            return await problem_services.raise_from_record(ctx, record_id, data)
        return await self._raise(request, ctx, rec["task_id"], form, act, rec)

    @post("/tasks/{task_id:int}/problems", name="callbacks.task_problem", guards=WORK)
    async def from_task(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        await queries.visible_task(ctx, task_id)
        form = await Form.read(request)

        async def act() -> Any:
            data = schemas.problem_input(form, quality_for(ctx.tenant.kind), list(ctx.pack.positions), immediate=True)
            return await problem_services.raise_from_task(ctx, task_id, data)
        return await self._raise(request, ctx, task_id, form, act)
