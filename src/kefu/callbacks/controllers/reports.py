"""A campaign's analysis report (A art. 22(4)): progress, rates, done by method, problems by
cause and the mean QA score, as a page with charts and as XLSX."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from kefu.callbacks.controllers.problems import problem_words
from kefu.callbacks.queries import reports
from kefu.core import excel
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("callbacks.view")]


class ReportController(Controller):
    path = "/t/{slug:str}/callbacks/campaigns"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/{campaign_id:int}/analysis", name="callbacks.campaign_analysis", guards=VIEW)
    async def analysis(self, request: Request, ctx: NamedDependency[TenantContext],
                       campaign_id: FromPath[int]) -> Response:
        found = await reports.analysis(ctx, campaign_id)
        return render(request, "callbacks/analysis.html", problem_words(ctx) | found)

    @get("/{campaign_id:int}/analysis.xlsx", name="callbacks.campaign_analysis_export", guards=VIEW)
    async def export(self, ctx: NamedDependency[TenantContext], campaign_id: FromPath[int]) -> Response:
        found = await reports.analysis(ctx, campaign_id)
        words = problem_words(ctx)
        content = reports.export(ctx, found, words["method_label"], words["cause_label"])
        return excel.download(content, f"callback-campaign-{campaign_id}.xlsx")
