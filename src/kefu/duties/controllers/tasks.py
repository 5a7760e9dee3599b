"""My duties: the tasks of the positions a person holds, one task with its evidence form, and
the evidence file."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import forms, pdf
from kefu.core.errors import FieldError, Refused
from kefu.core.files import Upload
from kefu.core.forms import read_raw
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.duties import labels
from kefu.duties import schemas as s
from kefu.duties.controllers.helpers import duty_pack, words
from kefu.duties.policy.tasks import allowed_actions
from kefu.duties.queries import tasks as queries
from kefu.duties.registry import record_links
from kefu.duties.services import complete_task
from kefu.duties.services.files import open_file
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

MEMBER = [requires("tenant.view")]
BOARD = "duties.board"
UPLOAD_BODY_LIMIT = 21 * 1024 * 1024


async def _visible(ctx: TenantContext, task_id: int) -> dict[str, Any]:
    """The task, if it is the person's or they see the board; else the same 404 as a missing one."""
    row = await queries.task(ctx.tenant_id, task_id)
    if row["assignee_id"] != ctx.user.id and not ctx.can(BOARD):
        raise NotFoundException()
    return row


async def _upload(request: Request) -> Upload | None:
    raw = await read_raw(request)
    file = raw.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return None
    if forms.has_control(file.filename):
        raise FieldError("file", "Enter a valid value.")
    content_type = (file.content_type or "").split(";")[0].strip().lower()
    return Upload(file.filename, content_type, await file.read())


async def _record(request: Request, ctx: TenantContext, ref: str) -> dict[str, Any] | None:
    """A closing record's reference ("complaint_report:3") named in the reader's language, with
    a link to its page for a member who may see it; None for a kind nobody registered."""
    kind, _, raw = (ref or "").partition(":")
    found = record_links().get(kind)
    if found is None or not raw.isdigit():
        return None
    label = f"{found.label_en if i18n.current_locale() == 'en' else found.label} #{raw}"
    target = await found.link(ctx.tenant_id, int(raw)) if ctx.can(found.permission) else None
    if target is None:
        return {"label": label, "href": None}
    route, params, query = target
    href = request.app.route_reverse(route, slug=ctx.tenant.slug, **params)
    return {"label": label, "href": f"{href}?{query}" if query else href}


class TaskController(Controller):
    path = "/t/{slug:str}/duties"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="duties.mine", guards=MEMBER)
    async def mine(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        context = (await words(ctx)) | await queries.my_tasks(ctx.tenant_id, ctx.user.id) | {"can_board": ctx.can(BOARD)}
        return render(request, "duties/mine.html", context)

    async def _page(self, request: Request, ctx: TenantContext, row: dict[str, Any],
                    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                    status_code: int = 200) -> Response:
        allowed = allowed_actions(row["status"], row["evidence_kind"], is_assignee=row["assignee_id"] == ctx.user.id,
                                  can_manage=ctx.can(BOARD))
        context = (await words(ctx)) | {"task": row, "allowed": allowed, "errors": errors or {}, "values": values or {},
                                "checklist": labels.checklist((await duty_pack(ctx)), row["duty_code"]),
                                "record": await _record(request, ctx, row["evidence_ref"])
                                if row["evidence_kind"] == "record" and row["status"] == "done" else None}
        return render(request, "duties/task.html", context, fragment="evidence", status_code=status_code)

    @get("/tasks/{task_id:int}", name="duties.task", guards=MEMBER)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        return await self._page(request, ctx, await _visible(ctx, task_id))

    @post("/tasks/{task_id:int}/complete", name="duties.task_complete", guards=MEMBER,
          request_max_body_size=UPLOAD_BODY_LIMIT)
    async def complete(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        row = await _visible(ctx, task_id)
        form = await forms.Form.read(request)
        items = len(labels.checklist((await duty_pack(ctx)), row["duty_code"]))
        try:
            data = s.read_completion(form, items)
            upload = await _upload(request) if row["evidence_kind"] == "upload" else None
            await complete_task(ctx, task_id, note=data.note, checks=data.checks, upload=upload)
        except FieldError as exc:
            return await self._page(request, ctx, row, exc.translated_all(), form.data, 422)
        except Refused as exc:
            return await self._page(request, ctx, row, {"task": exc.translated()}, form.data, 409)
        flash(request, i18n.gettext("The task is done."), "success")
        return Redirect(request.app.route_reverse("duties.task", slug=ctx.tenant.slug, task_id=task_id), status_code=303)

    @get("/tasks/{task_id:int}/evidence", name="duties.task_evidence", guards=MEMBER)
    async def evidence(self, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        row = await _visible(ctx, task_id)
        found = open_file(row["evidence_ref"]) if row["evidence_kind"] == "upload" else None
        if found is None:
            raise NotFoundException()
        data, name, media_type = found
        return pdf.download(data, name, media_type)
