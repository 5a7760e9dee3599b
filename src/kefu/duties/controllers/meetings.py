"""Meetings: the list with the form to record one, a meeting with its action items, adding and
closing an action item; the minutes printed to PDF by a job (kefu.workers print_pdf)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import forms, pdf
from kefu.core.errors import FieldError, Refused
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.duties import schemas as s
from kefu.duties.controllers.helpers import today, words
from kefu.duties.policy.meetings import KINDS
from kefu.duties.queries import meetings as queries
from kefu.duties.services import add_action, close_action, record_meeting
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.queries import active_members
from kefu.workers.services import start_pdf

BOARD = [requires("duties.board")]
PRINTING_MINUTES = i18n.lazy("Printing the meeting minutes")


class MeetingController(Controller):
    path = "/t/{slug:str}/duties/meetings"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    async def _list(self, request: Request, ctx: TenantContext, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        context = (await words(ctx)) | {"rows": await queries.meeting_list(ctx.tenant_id), "kinds": KINDS,
                                "errors": errors or {},
                                "values": values or {"held_on": today(ctx).isoformat(), "kind": "department"}}
        return render(request, "duties/meetings.html", context, status_code=status_code)

    @get("/", name="duties.meetings", guards=BOARD)
    async def meetings(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await self._list(request, ctx)

    @post("/", name="duties.meeting_record", guards=BOARD)
    async def record(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            data = s.read_meeting(form, KINDS)
            row = await record_meeting(ctx, kind=data.kind, title=data.title, held_on=data.held_on,
                                       agenda=data.agenda, attendees=data.attendees, minutes=data.minutes)
        except FieldError as exc:
            return await self._list(request, ctx, exc.translated_all(), form.data, 422)
        flash(request, i18n.gettext("The meeting is recorded."), "success")
        return Redirect(request.app.route_reverse("duties.meeting", slug=ctx.tenant.slug, meeting_id=row.id),
                        status_code=303)

    async def _detail(self, request: Request, ctx: TenantContext, meeting_id: int, errors: dict[str, str] | None = None,
                      values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        context = (await words(ctx)) | await queries.meeting(ctx.tenant_id, meeting_id) | {
            "members": await active_members(ctx.tenant_id), "errors": errors or {}, "values": values or {}}
        return render(request, "duties/meeting.html", context, status_code=status_code)

    @get("/{meeting_id:int}", name="duties.meeting", guards=BOARD)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], meeting_id: FromPath[int]) -> Response:
        return await self._detail(request, ctx, meeting_id)

    @post("/{meeting_id:int}/minutes.pdf", name="duties.meeting_pdf", guards=BOARD)
    async def minutes_pdf(self, request: Request, ctx: NamedDependency[TenantContext],
                          meeting_id: FromPath[int]) -> Response:
        context = (await words(ctx)) | await queries.meeting(ctx.tenant_id, meeting_id) | {
            "tenant": ctx.tenant, "locale": i18n.current_locale()}
        job = await start_pdf(ctx, pdf.print_html("duties/minutes_print.html", context), f"minutes-{meeting_id}.pdf",
                              PRINTING_MINUTES, back={"route": "duties.meeting", "params": {"meeting_id": meeting_id}})
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @post("/{meeting_id:int}/actions", name="duties.meeting_action", guards=BOARD)
    async def action(self, request: Request, ctx: NamedDependency[TenantContext], meeting_id: FromPath[int]) -> Response:
        await queries.meeting(ctx.tenant_id, meeting_id)
        form = await forms.Form.read(request)
        try:
            data = s.read_action(form)
            await add_action(ctx, meeting_id, title=data.title, owner_id=data.owner_id, due_on=data.due_on)
        except FieldError as exc:
            return await self._detail(request, ctx, meeting_id, exc.translated_all(), form.data, 422)
        return Redirect(request.app.route_reverse("duties.meeting", slug=ctx.tenant.slug, meeting_id=meeting_id),
                        status_code=303)

    @post("/items/{item_id:int}/close", name="duties.meeting_action_close", guards=BOARD)
    async def close(self, request: Request, ctx: NamedDependency[TenantContext], item_id: FromPath[int]) -> Response:
        meeting_id = await queries.meeting_of_item(ctx.tenant_id, item_id)
        try:
            await close_action(ctx, item_id)
        except Refused as exc:
            return await self._detail(request, ctx, meeting_id, {"actions": exc.translated()}, None, 409)
        return Redirect(request.app.route_reverse("duties.meeting", slug=ctx.tenant.slug, meeting_id=meeting_id),
                        status_code=303)
