"""A round's results (C.d: statistics, analysis and a report; A art. 22(4): only valid
questionnaires count): the live results page, the comments and responses lists, the raw and
summary workbooks and the PDF analysis report. Improvement actions (B.l) are in
results_actions. Thin: read through queries.results, shape with queries.results_view, render.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock, excel, pdf
from kefu.core.tenancy import TenantContext
from kefu.core.web import is_htmx, render
from kefu.surveys import labels
from kefu.surveys.controllers.results_actions import action_flags
from kefu.surveys.controllers.results_actions import routes as action_routes
from kefu.surveys.policy.rounds import is_live
from kefu.surveys.queries import actions, exports
from kefu.surveys.queries import results as q
from kefu.surveys.queries import results_export as export
from kefu.surveys.queries import results_view as v
from kefu.surveys.services.actions import PERMISSION as ACT
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export, start_pdf

VIEW = [requires("surveys.view")]
T = "surveys/results/"
PRINTING_REPORT = i18n.lazy("Printing the survey report")
POLL_SECONDS = 15
PAGE_COMMENTS, REPORT_COMMENTS = 10, 30  # the newest comments on the page and in the report


def _base(ctx: TenantContext, round_row: Any) -> dict[str, Any]:
    today = clock.today_in(ctx.tenant.timezone)
    return v.helpers() | {
        "round": round_row, "tz": ctx.tenant.timezone, "today": today, "tenant_name": ctx.tenant.name,
        "locale": i18n.current_locale(), "poll_seconds": POLL_SECONDS,
        "is_live": is_live(round_row.status), "action_flags": action_flags(today),
        "status_labels": labels.ACTION_STATUS, "round_status": labels.ROUND_STATUS,
        "owner_label": actions.owner_label, "can_act": ctx.can(ACT),
    }


def _filename(round_row: Any, stem: str, ext: str) -> str:
    return exports.filename(round_row, stem, ext)


async def _full(ctx: TenantContext, round_row: Any, keep_comments: int) -> dict[str, Any]:
    analysis = await q.analysis(ctx.tenant_id, round_row, keep_comments)
    shown = v.view(analysis, i18n.current_locale())
    return _base(ctx, round_row) | shown | {
        "round_actions": await actions.round_actions(ctx, round_row.id),
        "findings": v.findings(shown, i18n.current_locale()),
        "latest_comments": analysis.results.latest_comments(),
        "comments_total": analysis.results.comments_total,
    }


class ResultsController(Controller):
    path = "/t/{slug:str}/surveys/rounds/{round_id:int}"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/results", name="surveys.results", guards=VIEW)
    async def results(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        round_row = await q.survey_round(ctx.tenant_id, round_id)
        if is_htmx(request):  # the live block, polled while the round is open: counts only
            context = _base(ctx, round_row) | {"counts": await q.counts(ctx.tenant_id, round_row)}
            return render(request, T + "results.html", context, fragment="counts")
        context = await _full(ctx, round_row, PAGE_COMMENTS)
        return render(request, T + "results.html", context)

    @get("/comments", name="surveys.comments", guards=VIEW)
    async def comments(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        round_row = await q.survey_round(ctx.tenant_id, round_id)
        definition = q.definition_of(round_row)
        keys = [x.key for x in definition.questions() if x.type == "text"]
        question = request.query_params.get("question") or ""
        question = question if question in keys else ""
        page = await q.comments(ctx.tenant_id, round_row, request.query_params.get("page"), question=question)
        titles = {x.key: x.title_en if i18n.current_locale() == "en" and x.title_en else x.title
                  for x in definition.questions() if x.type == "text"}
        context = _base(ctx, round_row) | {"comments": page, "titles": titles, "question": question}
        return render(request, T + "comments.html", context, fragment="comments")

    @get("/responses", name="surveys.responses", guards=VIEW)
    async def responses(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        round_row = await q.survey_round(ctx.tenant_id, round_id)
        validity = request.query_params.get("validity") or "invalid"
        validity = validity if validity in q.VALIDITY_FILTERS else "invalid"
        page = await q.responses_page(ctx.tenant_id, round_row.id, validity, request.query_params.get("page"))
        context = _base(ctx, round_row) | {
            "page": page, "validity": validity, "counts": await q.counts(ctx.tenant_id, round_row),
            "questions": q.definition_of(round_row).questions(),
        }
        return render(request, T + "responses.html", context, fragment="responses")

    @get("/responses.xlsx", name="surveys.responses_xlsx", guards=VIEW)
    async def responses_xlsx(self, request: Request, ctx: NamedDependency[TenantContext],
                             round_id: FromPath[int]) -> Response:
        args = {"round_id": round_id}
        if excel.is_large(rows := await exports.responses_count(ctx, args)):
            return excel.large(request, exports.RESPONSES, rows)  # its button: responses_job
        return excel.respond(await exports.responses_file(ctx, args))

    @post("/responses.xlsx", name="surveys.responses_job", guards=VIEW)
    async def responses_job(self, request: Request, ctx: NamedDependency[TenantContext],
                            round_id: FromPath[int]) -> Response:
        """A large export of the raw answers, written by a job."""
        await q.survey_round(ctx.tenant_id, round_id)  # 404 before any job
        job = await start_export(ctx, "export_survey_responses", exports.RESPONSES, {"round_id": round_id},
                                 "surveys.results", {"round_id": round_id})
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @get("/results.xlsx", name="surveys.results_xlsx", guards=VIEW)
    async def results_xlsx(self, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        round_row = await q.survey_round(ctx.tenant_id, round_id)
        shown = v.view(await q.analysis(ctx.tenant_id, round_row), i18n.current_locale())
        content = export.summary_workbook(round_row, shown, tz=ctx.tenant.timezone,
                                          locale=i18n.current_locale(), tenant_name=ctx.tenant.name)
        return excel.download(content, _filename(round_row, "survey-results", "xlsx"))

    @post("/report", name="surveys.report_job", guards=VIEW)
    async def report_job(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        """The analysis report, printed to PDF by a job; its page offers the file."""
        round_row = await q.survey_round(ctx.tenant_id, round_id)
        html = pdf.print_html(T + "report_print.html", await _full(ctx, round_row, REPORT_COMMENTS))
        job = await start_pdf(ctx, html, _filename(round_row, "survey-report", "pdf"), PRINTING_REPORT,
                              back={"route": "surveys.results", "params": {"round_id": round_id}})
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)


routes = [ResultsController, *action_routes]
