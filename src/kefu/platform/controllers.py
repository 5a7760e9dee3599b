"""The platform administrator's page (tenants), health and the tenant API's identity route."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts.services import validate_email
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.http_errors import API_ERRORS
from kefu.core.packs import ADMIN_POSITION, all_packs
from kefu.core.requests import scope_extras
from kefu.core.superuser import require_superuser
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, is_htmx, render
from kefu.identity import services as identity
from kefu.platform import admins, console, outbox
from kefu.platform import api_docs as api_docs_page
from kefu.platform.health import check_health
from kefu.tenancy import queries, services
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires


class PlatformAdminController(Controller):
    path = "/admin"

    @get("/tenants", name="admin.tenants")
    async def tenants(self, request: Request) -> Response:
        require_superuser(request)
        return render(request, "platform/console.html", await _context({}, {}), fragment="tenants")

    @post("/tenants", name="admin.tenants_create")
    async def create(self, request: Request) -> Response:
        """A tenant from a pack, its first administrator invited; the creator joins it as an
        administrator too, so they can enter it at once."""
        require_superuser(request)
        creator = scope_extras(request.scope)["kefu_user"]
        form = await Form.read(request)
        values = _read_tenant_form(form)
        if form.ok:
            try:
                tenant = await services.create_tenant(actor_id=creator.id, **values)
                await services.add_member(tenant=tenant, user=creator, positions=[ADMIN_POSITION], actor_id=creator.id)
                issued = await identity.invite_first_admin(tenant, email=form.raw("admin_email"), actor_id=creator.id)
            except FieldError as exc:
                form.error("admin_email" if exc.field == "email" else exc.field, exc.translated())
        if not form.ok:
            return render(request, "platform/console.html", await _context(form.errors, form.data), fragment="tenants", status_code=422)
        notice = i18n.gettext("Tenant %(name)s created.", name=tenant.name)
        if is_htmx(request):
            # The form swaps #tenants in place: the notice and the invitation's copyable link
            # in the fragment (a redirect would render only the fragment and lose them).
            context = await _context({}, {}, notice=notice, link=issued.link, created=tenant.slug)
            return render(request, "platform/console.html", context, fragment="tenants")
        flash(request, notice, "success")
        flash(request, i18n.gettext("Invitation link for %(email)s (shown once): %(link)s",
                                    email=issued.email, link=issued.link), "info")
        return Redirect(request.app.route_reverse("admin.tenants"))

    @post("/tenants/{tenant_id:int}/deactivate", name="admin.tenants_deactivate")
    async def deactivate(self, request: Request, tenant_id: FromPath[int]) -> Response:
        return await _set_active(request, tenant_id, False)

    @post("/tenants/{tenant_id:int}/reactivate", name="admin.tenants_reactivate")
    async def reactivate(self, request: Request, tenant_id: FromPath[int]) -> Response:
        return await _set_active(request, tenant_id, True)


def _read_tenant_form(form: Form) -> dict[str, str]:
    values = {
        "slug": form.text("slug", max_length=63), "name": form.text("name", max_length=200),
        "kind": form.choice("kind", list(all_packs())),
        "timezone": form.text("timezone", max_length=64, required=False),
    }
    email = form.text("admin_email", max_length=254)
    if email:
        try:
            validate_email(email)
        except FieldError as exc:
            form.error("admin_email", exc.translated())
    if values["timezone"]:
        try:
            services.validate_timezone(values["timezone"])
        except FieldError as exc:
            form.error("timezone", exc.translated())
    return values


async def _set_active(request: Request, tenant_id: int, active: bool) -> Response:
    require_superuser(request)
    tenant = await services.set_tenant_active(
        tenant_id=tenant_id, active=active, actor_id=scope_extras(request.scope)["kefu_user"].id)
    notice = (i18n.gettext("Tenant %(name)s reactivated.", name=tenant.name) if active
              else i18n.gettext("Tenant %(name)s deactivated.", name=tenant.name))
    if is_htmx(request):
        return render(request, "platform/console.html", await _context({}, {}, notice=notice), fragment="tenants")
    flash(request, notice, "success")
    return Redirect(request.app.route_reverse("admin.tenants"))


async def _context(errors: dict, data: dict, *, notice: str = "", link: str = "", created: str = "") -> dict:
    tenants = await queries.all_tenants()
    return {"tenants": tenants, "packs": all_packs(), "errors": errors, "data": data, "notice": notice,
            "link": link, "created": created, "zones": services.time_zones()}


@get("/healthz", name="health", media_type=MediaType.JSON)
async def healthz() -> Response:
    report = await check_health()
    return Response(report, status_code=200 if report["status"] == "ok" else 503)


@get("/api/docs", name="api.docs", include_in_schema=False)
async def api_docs(request: Request) -> Response:
    """The JSON API's documentation, rendered from the schema /api/schema serves."""
    schema = request.app.openapi_schema.to_schema()
    return render(request, "platform/api_docs.html", api_docs_page.page_context(schema))


@dataclass
class Me:
    tenant: dict[str, str]  # slug, name, kind
    user: dict[str, str]  # email, name
    positions: list[str]


class TenantApiController(Controller):
    path = "/api/t/{slug:str}"
    dependencies = {"ctx": Provide(provide_api_context)}

    @get("/me", name="api.me", guards=[requires("tenant.view")],
         responses={200: ResponseSpec(Me, description="The token's tenant, user and positions"), **API_ERRORS})
    async def me(self, ctx: NamedDependency[TenantContext]) -> dict:
        return {
            "tenant": {"slug": ctx.tenant.slug, "name": ctx.tenant.name, "kind": ctx.tenant.kind},
            "user": {"email": ctx.user.email, "name": ctx.user.name},
            "positions": ctx.membership.positions_list(),
        }


routes = [PlatformAdminController, healthz, api_docs, TenantApiController, *console.routes, *admins.routes, *outbox.routes]
