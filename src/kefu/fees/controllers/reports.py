"""The manager's fee page (B.e, C.j): arrears ageing by building, the month's collection rate
with a chart, the reasons for late payment by category and building, and the same as XLSX."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from kefu.core import clock, excel
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.fees import queries, schemas
from kefu.fees.labels import helpers
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export

REPORTS = [requires("fees.reports")]


def _period(request: Request, ctx: TenantContext):  # -> date
    today = clock.today_in(ctx.tenant.timezone)
    return schemas.parse_month(request.query_params.get("period", "")) or today.replace(day=1)


class FeeReportController(Controller):
    path = "/t/{slug:str}/fees/reports"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="fees.reports", guards=REPORTS)
    async def report(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        today, period = clock.today_in(ctx.tenant.timezone), _period(request, ctx)
        context = helpers(ctx.tenant.kind) | {
            "period": period, "ageing": await queries.ageing_by_building(ctx, today),
            "rates": await queries.collection(ctx, period), "reasons": await queries.reasons_by_building(ctx),
        }
        return render(request, "fees/reports.html", context)

    @get("/export.xlsx", name="fees.reports.export", guards=REPORTS)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        args = queries.export_args(ctx, request.query_params.get("period", ""))
        if excel.is_large(rows := await queries.export_count(ctx, args)):
            return excel.large(request, queries.EXPORTING, rows)  # its button: export_job
        return excel.respond(await queries.export_file(ctx, args))

    @post("/export.xlsx", name="fees.reports.export_job", guards=REPORTS)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A report over many bills, written by a job."""
        job = await start_export(ctx, "export_fees_report", queries.EXPORTING,
                                 queries.export_args(ctx, request.query_params.get("period", "")), "fees.reports")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)
