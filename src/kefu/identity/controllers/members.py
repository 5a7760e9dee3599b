"""The members page: members with their positions, pending invitations, and the invite form."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, is_htmx, render
from kefu.identity import queries, services
from kefu.tenancy import queries as tenancy
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

MANAGE = [requires("members.manage")]


async def _context(ctx: TenantContext, errors: dict[str, str] | None = None, data: dict[str, str] | None = None,
                   *, notice: str = "", link: str = "") -> dict[str, Any]:
    return {
        "members": await tenancy.member_list(ctx.tenant_id), "invitations": await queries.open_invitations(ctx.tenant_id),
        "errors": errors or {}, "data": data or {}, "notice": notice, "link": link,
    }


async def _answer(request: Request, ctx: TenantContext, notice: str, link: str = "") -> Response:
    if is_htmx(request):  # the forms swap #members in place: the fragment with the notice in it
        return render(request, "identity/members.html", await _context(ctx, notice=notice, link=link), fragment="members")
    if link:  # the copyable link is shown once: render it rather than redirect
        return render(request, "identity/members.html", await _context(ctx, notice=notice, link=link))
    flash(request, notice, "success")
    return Redirect(request.app.route_reverse("members.list", slug=ctx.tenant.slug))


async def _refused(request: Request, ctx: TenantContext, errors: dict[str, str], data: dict[str, str]) -> Response:
    context = await _context(ctx, errors, data)
    return render(request, "identity/members.html", context, fragment="members", status_code=422)


class MembersController(Controller):
    path = "/t/{slug:str}"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/members", name="members.list", guards=MANAGE)
    async def members(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return render(request, "identity/members.html", await _context(ctx), fragment="members")

    @post("/members", name="members.add", guards=MANAGE)
    async def invite(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        email = form.text("email", max_length=254)
        positions = form.choices("positions", list(ctx.pack.positions)) or (
            [p] if (p := form.raw("position")) else [])
        if form.ok:
            try:
                issued = await services.invite(ctx, email=email, positions=positions)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return await _refused(request, ctx, form.errors, form.data)
        notice = i18n.gettext("An invitation was sent to %(email)s.", email=issued.email)
        return await _answer(request, ctx, notice, issued.link)

    @post("/members/{membership_id:int}/positions", name="members.positions", guards=MANAGE)
    async def positions(self, request: Request, ctx: NamedDependency[TenantContext], membership_id: FromPath[int]) -> Response:
        if not await tenancy.has_active_membership(ctx.tenant_id, membership_id):
            raise NotFoundException()
        form = await Form.read(request)
        position = form.choice("position", list(ctx.pack.positions))
        action = form.choice("action", ["add", "remove"])
        if form.ok:
            try:
                await services.change_position(ctx, membership_id, position, add=action == "add")
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return await _refused(request, ctx, form.errors, {})
        return await _answer(request, ctx, i18n.gettext("The positions were changed."))

    @post("/members/{membership_id:int}/deactivate", name="members.deactivate", guards=MANAGE)
    async def deactivate(self, request: Request, ctx: NamedDependency[TenantContext], membership_id: FromPath[int]) -> Response:
        try:
            await services.deactivate(ctx, membership_id)
        except FieldError as exc:
            return await _refused(request, ctx, {exc.field: exc.translated()}, {})
        return await _answer(request, ctx, i18n.gettext("The member was deactivated."))

    @post("/invitations/{invitation_id:int}/resend", name="invitations.resend", guards=MANAGE)
    async def resend(self, request: Request, ctx: NamedDependency[TenantContext], invitation_id: FromPath[int]) -> Response:
        issued = await services.resend(ctx, invitation_id)
        notice = i18n.gettext("The invitation was sent to %(email)s again.", email=issued.email)
        return await _answer(request, ctx, notice, issued.link)

    @post("/invitations/{invitation_id:int}/revoke", name="invitations.revoke", guards=MANAGE)
    async def revoke(self, request: Request, ctx: NamedDependency[TenantContext], invitation_id: FromPath[int]) -> Response:
        await services.revoke(ctx, invitation_id)
        return await _answer(request, ctx, i18n.gettext("The invitation was revoked."))
