"""The tenant's settings page: one link to every settings page the member may use."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from kefu import i18n
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

# (label msgid, route name, permission): the settings pages of every module.
PAGES = (
    (i18n.lazy("Members and invitations"), "members.list", "members.manage"),
    (i18n.lazy("Identity provider"), "identity.settings", "tenant.settings"),
    (i18n.lazy("API tokens"), "tokens.list", "api.tokens"),
    (i18n.lazy("Complaint contact details"), "complaints.contact", "complaints.settings"),
    (i18n.lazy("Notice wording"), "notifications.templates", "notices.manage"),
    (i18n.lazy("Notice settings"), "notifications.settings", "notices.manage"),
    (i18n.lazy("Positions and duties"), "duties.positions", "tenant.view"),
)


class SettingsController(Controller):
    path = "/t/{slug:str}/settings"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="settings.index", guards=[requires("tenant.view")])
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        links = [(i18n.gettext(label), request.app.route_reverse(route, slug=ctx.tenant.slug))
                 for label, route, permission in PAGES if ctx.can(permission)]
        return render(request, "identity/settings_index.html", {"links": links})
