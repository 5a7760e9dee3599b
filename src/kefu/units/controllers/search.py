"""The desk search page: one box, results as the desk types (htmx, 200 ms after the last key)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from kefu.core.forms import TOO_LONG, clean_text
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import queries
from kefu.units.labels import helpers

Q_MAX = 100


class DeskController(Controller):
    path = "/t/{slug:str}/desk"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="units.desk", guards=[requires("units.view")])
    async def search(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        q, problem = clean_text(request.query_params.get("q"), max_length=Q_MAX)
        q = "" if problem and problem != TOO_LONG else q[:Q_MAX]
        context = helpers(ctx.tenant.kind) | {"q": q, "results": await queries.desk_search(ctx, q)}
        return render(request, "units/desk.html", context, fragment="results")
