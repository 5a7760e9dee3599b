"""The front desk's day: its queues as a fragment the tenant's home loads (htmx)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from kefu.core.tenancy import TenantContext
from kefu.desk import queries
from kefu.desk.controllers.common import VIEW, page
from kefu.tenancy.context import provide_tenant_context


class DeskDayController(Controller):
    path = "/t/{slug:str}/desk"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/day", name="desk.day", guards=VIEW)
    async def day(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return page(request, ctx, "desk/_day.html", await queries.desk_day(ctx))
