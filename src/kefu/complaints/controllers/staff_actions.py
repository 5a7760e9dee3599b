"""The workflow's actions on one complaint, each a small form posting to its own route
(`complaints.<action>`), each one service call.

The service checks permission and transition. Its refusals come back on the complaint's page,
next to the form that failed: 422 naming the field, 403 for a permission, 409 when the
complaint's state does not allow it. Success redirects to the page (303) with a message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.types import Guard

from kefu import i18n
from kefu.complaints import queries, services
from kefu.complaints.labels import helpers
from kefu.complaints.policy import ACTIONS, policy_for
from kefu.complaints.schemas import chosen_id, form_values, optional_day
from kefu.complaints.services.review import Outcome
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.notifications import queries as notices_queries
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

FORBIDDEN = i18n.lazy("You do not have permission to do this.")
# What happened to the handler's assignment notice (notifications.queries.notice_outlook).
ASSIGNED = {
    "sent": i18n.lazy("The handler is assigned and was told by email."),
    "queued": i18n.lazy("The handler is assigned; an email to them is queued."),
    "failed": i18n.lazy("The handler is assigned, but could not be told by email (see the notice)."),
    "not_configured": i18n.lazy("The handler is assigned; email is not configured, so they have not been told yet."),
}
DONE = {
    "request_materials": i18n.lazy("The materials notice is owed to the complainant."),
    "complete_materials": i18n.lazy("The materials are complete; the complaint is under review."),
    "accept": i18n.lazy("Accepted; the acceptance notice is owed to the complainant."),
    "not_accept": i18n.lazy("Not accepted; the notice with the reason is owed to the complainant."),
    "transfer_internal": i18n.lazy("Transferred; the complainant will be told."),
    "transfer_out": i18n.lazy("Transferred; the complainant will be told."),
    "merge": i18n.lazy("Merged into the first complaint; its handling period restarts."),
    "assign": i18n.lazy("The handler is assigned; an email to them is queued."),
    "note": i18n.lazy("The note is added."),
    "decide": i18n.lazy("Decision recorded; the decision notice is owed to the complainant."),
    "extend": i18n.lazy("Extension granted; the complainant will be told the new date."),
    "pause": i18n.lazy("The decision clock is paused; the complainant will be told."),
    "resume": i18n.lazy("The decision clock runs again; the complainant will be told."),
    "withdraw": i18n.lazy("The complaint is withdrawn."),
    "close": i18n.lazy("The complaint is closed."),
    "major": i18n.lazy("Saved."),
    "regulator_report": i18n.lazy("The written report is recorded."),
}


def _perm(action: str) -> list[Guard]:
    return [requires(ACTIONS[action].permission)]


async def detail_page(
    request: Request, ctx: TenantContext, complaint_id: int, failed: str = "",
    errors: dict[str, str] | None = None, status: int = 200, data: dict | None = None,
) -> Response:
    page = await queries.detail.complaint_page(ctx, complaint_id)
    policy, today = policy_for(ctx.tenant.kind, ctx.tenant.settings), clock.today_in(ctx.tenant.timezone)
    context = helpers(policy, today) | page | {"failed": failed, "errors": errors or {}, "data": data or {}}
    return render(request, "complaints/detail.html", context, status_code=status)


async def _run(
    request: Request, ctx: TenantContext, complaint_id: int, action: str,
    call: Callable[[dict[str, str]], Awaitable[Any]],
) -> Response:
    """Read the form, make the call; the page again with the refusal, or a redirect."""
    form = await Form.read(request)
    data = form.data
    try:
        data = form_values(form)
        result = await call(data)
    except FieldError as exc:
        errors, status = {exc.field: exc.translated()}, 422
    except PermissionDeniedException:
        errors, status = {"__all__": i18n.gettext(FORBIDDEN)}, 403
    except Refused as exc:
        errors, status = {"__all__": exc.translated()}, 409
    else:
        flash(request, await _done(ctx, complaint_id, action), "success")
        target = getattr(result, "id", None) if action == "merge" else complaint_id
        url = request.app.route_reverse(
            "complaints.detail", slug=ctx.tenant.slug, complaint_id=target or complaint_id
        )
        return Redirect(url, status_code=303)
    return await detail_page(request, ctx, complaint_id, action, errors, status, data)


async def _done(ctx: TenantContext, complaint_id: int, action: str) -> str:
    if action == "assign":
        found = await notices_queries.notice_outlook(ctx.tenant_id, "complaint", complaint_id, "assignment_notice")
        return i18n.gettext(ASSIGNED.get(found or "", DONE[action]))
    return i18n.gettext(DONE[action])


def _review(
    ctx: TenantContext, complaint_id: int, outcome: Outcome, d: dict[str, str]
) -> Awaitable[Any]:
    return services.review_complaint(
        ctx, complaint_id, outcome=outcome,
        ground=d.get("ground", ""), reason=d.get("reason", ""),
        department=d.get("department", ""), unit=d.get("unit", ""),
    )


Ctx = NamedDependency[TenantContext]
Id = FromPath[int]


class ComplaintActionController(Controller):
    path = "/t/{slug:str}/complaints/{complaint_id:int}"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @post("/request-materials", name="complaints.request_materials", guards=_perm("request_materials"))
    async def request_materials(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "request_materials", lambda d: (
            services.request_materials(ctx, complaint_id, missing=d.get("missing", ""))))

    @post("/materials-complete", name="complaints.complete_materials",
          guards=_perm("complete_materials"))
    async def complete_materials(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "complete_materials", lambda d: (
            services.mark_materials_complete(
                ctx, complaint_id, complete_on=optional_day(d, "complete_on"))))

    @post("/accept", name="complaints.accept", guards=_perm("accept"))
    async def accept(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "accept", lambda d: _review(ctx, complaint_id, "accept", d))

    @post("/not-accept", name="complaints.not_accept", guards=_perm("not_accept"))
    async def not_accept(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "not_accept",
                          lambda d: _review(ctx, complaint_id, "not_accept", d))

    @post("/transfer-internal", name="complaints.transfer_internal",
          guards=_perm("transfer_internal"))
    async def transfer_internal(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "transfer_internal",
                          lambda d: _review(ctx, complaint_id, "transfer_internal", d))

    @post("/transfer-out", name="complaints.transfer_out", guards=_perm("transfer_out"))
    async def transfer_out(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "transfer_out",
                          lambda d: _review(ctx, complaint_id, "transfer_out", d))

    @post("/merge", name="complaints.merge", guards=_perm("merge"))
    async def merge(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "merge", lambda d: services.merge_repeat(
            ctx, complaint_id, into_id=chosen_id(d, "into_id"),
            new_facts=d.get("new_facts", "")))

    @post("/assign", name="complaints.assign", guards=_perm("assign"))
    async def assign(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "assign", lambda d: services.assign_handler(
            ctx, complaint_id, handler_id=chosen_id(d, "handler")))

    @post("/notes", name="complaints.note", guards=_perm("note"))
    async def note(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "note", lambda d: services.add_note(
            ctx, complaint_id, body=d.get("body", ""), kind=d.get("kind") or "note"))

    @post("/decide", name="complaints.decide", guards=_perm("decide"))
    async def decide(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "decide", lambda d: services.record_decision(
            ctx, complaint_id, decision=d.get("decision", ""), text=d.get("text", ""),
            remedy=d.get("remedy", "")))

    @post("/extend", name="complaints.extend", guards=_perm("extend"))
    async def extend(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "extend", lambda d: services.grant_extension(
            ctx, complaint_id, reason=d.get("reason", "")))

    @post("/pause", name="complaints.pause", guards=_perm("pause"))
    async def pause(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "pause", lambda d: (
            services.pause_for_appraisal(ctx, complaint_id, reason=d.get("reason", ""))))

    @post("/resume", name="complaints.resume", guards=_perm("resume"))
    async def resume(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "resume", lambda d: (
            services.resume_after_appraisal(ctx, complaint_id)))

    @post("/withdraw", name="complaints.withdraw", guards=_perm("withdraw"))
    async def withdraw(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "withdraw", lambda d: (
            services.withdraw_complaint(ctx, complaint_id, reason=d.get("reason", ""))))

    @post("/close", name="complaints.close", guards=_perm("close"))
    async def close(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "close", lambda d: (
            services.close_complaint(ctx, complaint_id)))

    @post("/major", name="complaints.major", guards=_perm("major"))
    async def major(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "major", lambda d: services.mark_major(
            ctx, complaint_id, major=d.get("major", "1") == "1"))

    @post("/regulator-report", name="complaints.regulator_report",
          guards=_perm("regulator_report"))
    async def regulator_report(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _run(request, ctx, complaint_id, "regulator_report", lambda d: (
            services.record_regulator_report(
                ctx, complaint_id, sent_on=optional_day(d, "sent_on"))))
