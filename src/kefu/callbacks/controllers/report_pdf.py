"""A campaign's analysis report as a PDF (A art. 22(4)): the request renders the printed page
(its queries, in the member's permissions) and the print_pdf job lays it out, with the embedded
CJK font as every printed document; the job's page offers the file."""

from __future__ import annotations

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.callbacks.controllers.problems import problem_words
from kefu.callbacks.queries import reports
from kefu.callbacks.queries.analysis_print import campaign_problems
from kefu.core import pdf
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_pdf

VIEW = [requires("callbacks.view")]
PRINTING = i18n.lazy("Printing the campaign analysis")
TEMPLATE = "callbacks/analysis_print.html"


def filename(campaign_id: int, title: str) -> str:
    clean = "".join("_" if c in '/\\:*?"<>|' or c < " " else c for c in title)[:80]
    return f"callback-analysis-{campaign_id}-{clean}.pdf"


class ReportPdfController(Controller):
    path = "/t/{slug:str}/callbacks/campaigns"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @post("/{campaign_id:int}/analysis/report", name="callbacks.campaign_analysis_pdf", guards=VIEW)
    async def report(self, request: Request, ctx: NamedDependency[TenantContext], campaign_id: FromPath[int]) -> Response:
        found = await reports.analysis(ctx, campaign_id)
        context = problem_words(ctx) | found | {
            "problem_list": await campaign_problems(ctx.tenant_id, campaign_id), "tenant_name": ctx.tenant.name,
            "tz": ctx.tenant.timezone, "locale": i18n.current_locale(),
        }
        html = pdf.print_html(TEMPLATE, context)
        job = await start_pdf(ctx, html, filename(campaign_id, found["campaign"]["title"]), PRINTING)
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)



