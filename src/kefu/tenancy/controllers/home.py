"""The tenant's home (its members are kefu.identity's pages)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from kefu.audit.queries import recent_events
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy import queries
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


routes = [TenantController]
