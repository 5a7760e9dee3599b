"""The work queue and one task: take it, log attempts, write and submit the record, correct a
submitted one by an addendum, attach files, download them; a manager hands a task over."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.callbacks import queries, schemas, services
from kefu.callbacks.controllers.helpers import UPLOAD_BODY_LIMIT, upload_of, words
from kefu.callbacks.queries.online import online_of, still_visible
from kefu.core import pdf
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.queries import active_members

WORK = [requires("callbacks.work")]
MEMBER = [requires("tenant.view")]


class WorkController(Controller):
    path = "/t/{slug:str}/callbacks"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="callbacks.queue", guards=WORK)
    async def queue(self, request: Request, ctx: NamedDependency[TenantContext],
                    page: FromQuery[str | None] = None) -> Response:
        found = await queries.queue(ctx, page)
        return render(request, "callbacks/queue.html", words(ctx) | {"page": found}, fragment="rows")

    async def _page(self, request: Request, ctx: TenantContext, task_id: int, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        found = await queries.task_page(ctx, task_id)
        members = await active_members(ctx.tenant_id) if ctx.can("callbacks.manage") else []
        context = words(ctx) | found | {"errors": errors or {}, "values": values or {}, "members": members,
                                         "online": await online_of(ctx.tenant_id, task_id)}
        return render(request, "callbacks/task.html", context, status_code=status_code)

    @get("/tasks/{task_id:int}", name="callbacks.task", guards=MEMBER)
    async def task(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        return await self._page(request, ctx, task_id)

    def _back(self, request: Request, ctx: TenantContext, task_id: int, message: str) -> Response:
        flash(request, message, "success")
        return Redirect(request.app.route_reverse("callbacks.task", slug=ctx.tenant.slug, task_id=task_id),
                        status_code=303)

    async def _run(self, request: Request, ctx: TenantContext, task_id: int, form: Form, action: Any,
                   done: str) -> Response:
        try:
            await action()
        except FieldError as exc:
            return await self._page(request, ctx, task_id, exc.translated_all(), form.data, 422)
        except Refused as exc:
            return await self._page(request, ctx, task_id, {"task": exc.translated()}, form.data, 409)
        return self._back(request, ctx, task_id, done)

    @post("/tasks/{task_id:int}/take", name="callbacks.task_take", guards=WORK)
    async def take(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        await queries.visible_task(ctx, task_id)
        form = await Form.read(request)
        return await self._run(request, ctx, task_id, form, lambda: services.take_task(ctx, task_id),
                               i18n.gettext("The callback is yours."))

    @post("/tasks/{task_id:int}/attempts", name="callbacks.task_attempt", guards=WORK)
    async def attempt(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        await queries.visible_task(ctx, task_id)
        form = await Form.read(request)

        async def act() -> None:
            await services.log_attempt(ctx, task_id, schemas.attempt_input(form, ctx.tenant.timezone))
        response = await self._run(request, ctx, task_id, form, act, i18n.gettext("The attempt is logged."))
        if response.status_code == 303 and not await still_visible(ctx, task_id):
            # fallen back to another method's people: the member's queue, not a page they cannot see
            flash(request, i18n.gettext("The callback has passed to the next method."), "success")
            return Redirect(request.app.route_reverse("callbacks.queue", slug=ctx.tenant.slug), status_code=303)
        return response

    @post("/tasks/{task_id:int}/record", name="callbacks.task_record", guards=WORK)
    async def record(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        task = await queries.visible_task(ctx, task_id)
        form = await Form.read(request)
        submit = form.raw("submit") == "1"

        async def act() -> None:
            questions = await services.questions_of(ctx.tenant_id, task["campaign_id"])
            await services.save_record(ctx, task_id, schemas.record_input(form, questions), submit=submit)
        done = i18n.gettext("The record is submitted and locked.") if submit else i18n.gettext("The draft is saved.")
        return await self._run(request, ctx, task_id, form, act, done)

    @post("/tasks/{task_id:int}/assign", name="callbacks.task_assign", guards=[requires("callbacks.manage")])
    async def assign(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        await queries.visible_task(ctx, task_id)
        form = await Form.read(request)

        async def act() -> None:
            user_id = form.integer("user_id", minimum=1, maximum=2**31 - 1)
            form.check()
            assert user_id is not None
            await services.assign_task(ctx, task_id, user_id)
        return await self._run(request, ctx, task_id, form, act, i18n.gettext("The callback is handed over."))

    @post("/records/{record_id:int}/addenda", name="callbacks.record_amend", guards=WORK)
    async def amend(self, request: Request, ctx: NamedDependency[TenantContext], record_id: FromPath[int]) -> Response:
        rec = await queries.visible_record(ctx, record_id)
        form = await Form.read(request)

        async def act() -> None:
            questions = await services.questions_of(ctx.tenant_id, rec["campaign_id"])
            field, text = schemas.addendum_input(form, questions)
            await services.amend_record(ctx, record_id, field, text)
        return await self._run(request, ctx, rec["task_id"], form, act, i18n.gettext("The correction is added."))

    @post("/records/{record_id:int}/files", name="callbacks.record_attach", guards=WORK,
          request_max_body_size=UPLOAD_BODY_LIMIT)
    async def attach(self, request: Request, ctx: NamedDependency[TenantContext], record_id: FromPath[int]) -> Response:
        rec = await queries.visible_record(ctx, record_id)
        form = await Form.read(request)

        async def act() -> None:
            upload = await upload_of(request)
            if upload is None:
                raise FieldError("file", "Choose a file.")
            await services.attach_file(ctx, record_id, upload)
        return await self._run(request, ctx, rec["task_id"], form, act, i18n.gettext("The file is attached."))

    @get("/files/{file_id:int}", name="callbacks.file", guards=MEMBER)
    async def file(self, ctx: NamedDependency[TenantContext], file_id: FromPath[int]) -> Response:
        _, ref = await queries.file_of(ctx, file_id)
        found = services.open_file(ref)
        if found is None:
            raise NotFoundException()
        data, name, media_type = found
        return pdf.download(data, name, media_type)
