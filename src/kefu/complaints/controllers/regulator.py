"""A art. 13: the register of regulator-transferred complaints (page)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from kefu.complaints.controllers.reports import (
    PERM,
    REPORT_TEMPLATES,
    _base,
    _complaint_href,
    _today,
)
from kefu.complaints.queries.reports.regulator import REGISTER_LIMIT, regulator_register
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context

REGULATOR_CHANNEL = "regulator"


class RegulatorRegisterController(Controller):
    path = "/t/{slug:str}/complaints"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/reports/regulator", name="reports.regulator_register", guards=PERM)
    async def register(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        rows = await regulator_register(ctx.tenant_id, REGULATOR_CHANNEL, _today(ctx))
        context = _base(ctx) | {
            "rows": rows, "limit": REGISTER_LIMIT, "complaint_href": _complaint_href(request, ctx),
        }
        return render(request, REPORT_TEMPLATES + "regulator_register.html", context)


routes = [RegulatorRegisterController]
