"""The tenant's home and its members."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts.queries import user_by_email
from kefu.audit.queries import recent_events
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, is_htmx, render
from kefu.tenancy import queries, services
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires


class TenantController(Controller):
    path = "/t/{slug:str}"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="tenant.home", guards=[requires("tenant.view")])
    async def home(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        recent = await recent_events(ctx.tenant_id, limit=5)
        members = await queries.active_member_count(ctx.tenant_id)
        return render(request, "tenancy/home.html", {"recent": recent, "member_count": members})

    @get("/members", name="members.list", guards=[requires("members.manage")])
    async def members(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return render(request, "tenancy/members.html", await _members_context(ctx, {}), fragment="members")

    @post("/members", name="members.add", guards=[requires("members.manage")])
    async def add_member(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        email = form.text("email", max_length=254)
        position = form.choice("position", list(ctx.pack.positions))
        user = None
        if form.ok:
            user = await user_by_email(email)
            if user is None:
                form.error("email", i18n.gettext("No user has this email. Ask a platform administrator to create the account first."))
        if not form.ok or user is None:
            context = await _members_context(ctx, form.errors, form.data)
            return render(request, "tenancy/members.html", context, fragment="members", status_code=422)
        try:
            await services.add_member(tenant=ctx.tenant, user=user, positions=[position], actor_id=ctx.user.id)
        except FieldError as exc:
            context = await _members_context(ctx, {exc.field: exc.translated()}, form.data)
            return render(request, "tenancy/members.html", context, fragment="members", status_code=422)
        notice = i18n.gettext("%(name)s now holds the position.", name=user.name)
        if is_htmx(request):
            # The form swaps #members in place. Answer with the fragment and the notice in it:
            # a redirect would render only the fragment and swallow a flash message.
            context = await _members_context(ctx, {}, notice=notice)
            return render(request, "tenancy/members.html", context, fragment="members")
        flash(request, notice, "success")
        return Redirect(request.app.route_reverse("members.list", slug=ctx.tenant.slug))


async def _members_context(
    ctx: TenantContext, errors: dict, data: dict | None = None, *, notice: str = ""
) -> dict:
    rows = await queries.member_list(ctx.tenant_id)
    return {"members": rows, "errors": errors, "data": data or {}, "notice": notice}


routes = [TenantController]
