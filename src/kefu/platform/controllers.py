"""The platform administrator's page (tenants), health and the tenant API's identity route."""

from __future__ import annotations

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.packs import all_packs
from kefu.core.requests import scope_extras
from kefu.core.superuser import require_superuser
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, is_htmx, render
from kefu.platform.health import check_health
from kefu.tenancy import queries, services
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires


class PlatformAdminController(Controller):
    path = "/admin"

    @get("/tenants", name="admin.tenants")
    async def tenants(self, request: Request) -> Response:
        require_superuser(request)
        return render(request, "platform/tenants.html", await _context({}, {}), fragment="tenants")

    @post("/tenants", name="admin.tenants_create")
    async def create(self, request: Request) -> Response:
        require_superuser(request)
        form = await Form.read(request)
        slug = form.text("slug", max_length=63)
        name = form.text("name", max_length=200)
        kind = form.choice("kind", list(all_packs()))
        if form.ok:
            try:
                tenant = await services.create_tenant(slug=slug, name=name, kind=kind, actor_id=scope_extras(request.scope)["kefu_user"].id)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return render(request, "platform/tenants.html", await _context(form.errors, form.data), fragment="tenants", status_code=422)
        notice = i18n.gettext("Tenant %(name)s created.", name=tenant.name)
        if is_htmx(request):
            # The form swaps #tenants in place. Answer with the fragment and the notice in it:
            # a redirect would render only the fragment and swallow a flash message.
            return render(request, "platform/tenants.html", await _context({}, {}, notice=notice), fragment="tenants")
        flash(request, notice, "success")
        return Redirect(request.app.route_reverse("admin.tenants"))


async def _context(errors: dict, data: dict, *, notice: str = "") -> dict:
    tenants = await queries.all_tenants()
    return {"tenants": tenants, "packs": all_packs(), "errors": errors, "data": data, "notice": notice}


@get("/healthz", name="health", media_type=MediaType.JSON)
async def healthz() -> Response:
    report = await check_health()
    return Response(report, status_code=200 if report["status"] == "ok" else 503)


class TenantApiController(Controller):
    path = "/api/t/{slug:str}"
    dependencies = {"ctx": Provide(provide_api_context)}

    @get("/me", name="api.me", guards=[requires("tenant.view")])
    async def me(self, ctx: NamedDependency[TenantContext]) -> dict:
        return {
            "tenant": {"slug": ctx.tenant.slug, "name": ctx.tenant.name, "kind": ctx.tenant.kind},
            "user": {"email": ctx.user.email, "name": ctx.user.name},
            "positions": ctx.membership.positions_list(),
        }


routes = [PlatformAdminController, healthz, TenantApiController]
