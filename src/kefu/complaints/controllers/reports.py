"""Complaint reports: the art. 20 analysis (page, XLSX, PDF), the compliance of the statutory
notices (page, XLSX), the art. 19 governance register (page, new version, PDF) and the written
report for a regulator-transferred complaint (A art. 13, PDF).

Each PDF is printed by a job (kefu.workers print_pdf): the request renders the document's HTML
and answers with the job's page, which offers the file once the worker has laid it out.

Thin: parse the period, call queries.reports, render. Figures come from pure functions in
queries/reports/compute.py; every query is scoped to the tenant.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NoRouteMatchFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.complaints.controllers import reports_export as export
from kefu.complaints.controllers.reports_format import percent, period_title, signed
from kefu.complaints.labels import ReportLabels
from kefu.complaints.policy import GOVERNANCE_KINDS, policy_for
from kefu.complaints.queries import reports as q
from kefu.complaints.queries.reports import compute as a
from kefu.complaints.queries.reports import issued
from kefu.complaints.schemas import optional_day
from kefu.complaints.services import add_governance_document
from kefu.core import clock, excel, pdf
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.text import short
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export, start_pdf

PERM = [requires("complaints.reports")]
SETTINGS = [requires("complaints.settings")]
NOT_REGULATOR = i18n.lazy(
    "This complaint was not passed on from outside, so there is no written report to write."
)
REPORT_TEMPLATES = "complaints/reports/"
PRINTING_ANALYSIS = i18n.lazy("Printing the complaint analysis report")
PRINTING_REGISTER = i18n.lazy("Printing the governance register")
PRINTING_REGULATOR = i18n.lazy("Printing the report to the regulator")


def _today(ctx: TenantContext) -> date:
    return clock.today_in(ctx.tenant.timezone)


def _labels(ctx: TenantContext) -> ReportLabels:
    return ReportLabels(policy_for(ctx.tenant.kind, ctx.tenant.settings))


def _choice(request: Request, ctx: TenantContext, *, strict: bool) -> a.PeriodChoice:
    """The period asked for; with `strict` (exports) a bad field is a 422 naming it."""
    choice = a.parse_period(request.query_params, _today(ctx))
    if strict and choice.errors:
        name, message = next(iter(choice.errors.items()))
        raise FieldError(name, message)
    return choice


def _base(ctx: TenantContext, choice: a.PeriodChoice | None = None) -> dict:
    base = {
        "labels": _labels(ctx), "period_title": period_title,
        "percent": percent, "signed": signed, "today": _today(ctx), "tenant_name": ctx.tenant.name,
        "tz": ctx.tenant.timezone, "locale": i18n.current_locale(),
    }
    if choice is not None:
        base |= {
            "choice": choice, "query": urlencode(choice.values),
            "errors": {k: i18n.gettext(v) for k, v in choice.errors.items()},
        }
    return base


async def _analysis(ctx: TenantContext, period: a.Period) -> a.Analysis:
    policy = policy_for(ctx.tenant.kind, ctx.tenant.settings)
    categories = tuple(c.code for c in policy.categories)
    channels = tuple(c.code for c in policy.channels)
    return await q.analysis(
        ctx.tenant_id, period, _today(ctx), channel_order=channels, category_order=categories
    )


def _bar(label: str, current: float, previous: float, current_text: str, previous_text: str) -> dict:
    return {"label": label, "short": short(label), "current": current, "previous": previous,
            "current_text": current_text, "previous_text": previous_text}


def _charts(report: a.Analysis, labels: ReportLabels) -> dict[str, list[dict]]:
    """Bar-chart data: per breakdown, each line's label and both periods' values (channels and
    outcomes keep their zero lines, the other breakdowns only what occurred)."""
    charts = {}
    for name, rows in report.breakdowns():
        label, n = labels.of(name), i18n.fmt_number
        charts[name] = [
            _bar(label(r.code), r.current, r.previous, n(r.current), n(r.previous))
            for r in rows if r.current or r.previous or name in ("channel", "outcome")
        ]
    charts["rates"] = [
        _bar(labels.duty(r.duty), (r.current.on_time_rate or 0) * 100, (r.previous.on_time_rate or 0) * 100,
             percent(r.current.on_time_rate), percent(r.previous.on_time_rate))
        for r in report.rates
    ]
    return charts


def _complaint_href(request: Request, ctx: TenantContext):
    """A link to a complaint's staff page, once the staff pages serve one (complaints.detail)."""

    def href(complaint_id: int) -> str | None:
        try:
            return request.app.route_reverse(
                "complaints.detail", slug=ctx.tenant.slug, complaint_id=complaint_id
            )
        except NoRouteMatchFoundException:
            return None

    return href


def _filename(ctx: TenantContext, stem: str, period: a.Period, ext: str) -> str:
    return f"{stem}-{ctx.tenant.slug}-{period.start.isoformat()}-{period.end.isoformat()}.{ext}"


class ReportsController(Controller):
    path = "/t/{slug:str}/complaints"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/reports", name="reports.index", guards=PERM)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return render(request, REPORT_TEMPLATES + "index.html", _base(ctx))

    # --- A art. 20: the analysis report -------------------------------------------------------

    @get("/reports/analysis", name="reports.analysis", guards=PERM)
    async def analysis(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        choice = _choice(request, ctx, strict=False)
        context = _base(ctx, choice)
        if choice.errors:
            return render(request, REPORT_TEMPLATES + "analysis.html", context | {"report": None},
                          fragment="report", status_code=422)
        report = await _analysis(ctx, choice.period)
        context |= {"report": report, "charts": _charts(report, context["labels"]),
                    "issued": await issued.issued_for(ctx.tenant_id, choice.period)}
        return render(request, REPORT_TEMPLATES + "analysis.html", context, fragment="report")

    @get("/reports/analysis.xlsx", name="reports.analysis_xlsx", guards=PERM)
    async def analysis_xlsx(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        args = export.export_args(ctx, request.query_params)
        if excel.is_large(rows := await export.export_count(ctx, args)):
            return excel.large(request, export.ANALYSIS, rows)  # its button: analysis_job
        return excel.respond(await export.analysis_file(ctx, args))

    @post("/reports/analysis.xlsx", name="reports.analysis_job", guards=PERM)
    async def analysis_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """An analysis over many complaints, written by a job."""
        _choice(request, ctx, strict=True)  # a bad field is a 422 here, before any job
        job = await start_export(ctx, "export_complaint_analysis", export.ANALYSIS,
                                 export.export_args(ctx, request.query_params), "reports.analysis")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @post("/reports/analysis.pdf", name="reports.analysis_pdf", guards=PERM)
    async def analysis_pdf(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        choice = _choice(request, ctx, strict=True)
        report = await _analysis(ctx, choice.period)
        context = _base(ctx, choice) | {"report": report}
        context["charts"] = _charts(report, context["labels"])
        return await _print(request, ctx, REPORT_TEMPLATES + "analysis_print.html", context,
                            _filename(ctx, "complaint-analysis", choice.period, "pdf"), PRINTING_ANALYSIS,
                            "reports.analysis")

    # --- the statutory notices: owed, on time, late, open --------------------------------------

    @get("/reports/compliance", name="reports.compliance", guards=PERM)
    async def compliance(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        choice = _choice(request, ctx, strict=False)
        context = _base(ctx, choice) | {"duties": [], "late": []}
        if choice.errors:
            return render(request, REPORT_TEMPLATES + "compliance.html", context,
                          fragment="report", status_code=422)
        context["duties"] = await q.duties(ctx.tenant_id, choice.period, _today(ctx))
        context["late"] = await q.late_list(ctx.tenant_id, choice.period, _today(ctx))
        context["late_limit"] = q.LATE_LIMIT
        context["complaint_href"] = _complaint_href(request, ctx)
        return render(request, REPORT_TEMPLATES + "compliance.html", context, fragment="report")

    @get("/reports/compliance.xlsx", name="reports.compliance_xlsx", guards=PERM)
    async def compliance_xlsx(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        args = export.export_args(ctx, request.query_params)
        if excel.is_large(rows := await export.export_count(ctx, args)):
            return excel.large(request, export.COMPLIANCE, rows)  # its button: compliance_job
        return excel.respond(await export.compliance_file(ctx, args))

    @post("/reports/compliance.xlsx", name="reports.compliance_job", guards=PERM)
    async def compliance_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A compliance report over many complaints, written by a job."""
        _choice(request, ctx, strict=True)  # a bad field is a 422 here, before any job
        job = await start_export(ctx, "export_notice_compliance", export.COMPLIANCE,
                                 export.export_args(ctx, request.query_params), "reports.compliance")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    # --- A art. 19: the governance register ----------------------------------------------------

    @get("/reports/governance", name="reports.governance", guards=PERM)
    async def governance(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await _governance_page(request, ctx, {}, {})

    @post("/reports/governance", name="reports.governance_add", guards=SETTINGS)
    async def governance_add(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        values = {k: form.data.get(k, "") for k in ("kind", "title", "body", "filed_with_regulator_on")}
        try:
            filed = optional_day(values, "filed_with_regulator_on")
            doc = await add_governance_document(
                ctx, kind=values["kind"], title=values["title"], body=values["body"],
                filed_with_regulator_on=filed,
            )
        except FieldError as exc:
            return await _governance_page(request, ctx, values, {exc.field: exc.translated()}, 422)
        flash(request, i18n.gettext(
            "Version %(version)s of “%(kind)s” is in the register.",
            version=doc.version, kind=_labels(ctx).governance(doc.kind),
        ), "success")
        url = request.app.route_reverse("reports.governance", slug=ctx.tenant.slug)
        return Redirect(f"{url}#{doc.kind}", status_code=303)

    @post("/reports/governance.pdf", name="reports.governance_pdf", guards=PERM)
    async def governance_pdf(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        context = _base(ctx) | {"register": await q.governance_register(ctx.tenant_id)}
        name = f"governance-register-{ctx.tenant.slug}-{_today(ctx).isoformat()}.pdf"
        return await _print(request, ctx, REPORT_TEMPLATES + "governance_print.html", context, name,
                            PRINTING_REGISTER, "reports.governance")

    # --- A art. 13: the written report a transferring regulator asked for ----------------------

    @post("/{complaint_id:int}/regulator-report.pdf", name="reports.regulator_report", guards=PERM)
    async def regulator_report(
        self, request: Request, ctx: NamedDependency[TenantContext], complaint_id: FromPath[int]
    ) -> Response:
        complaint, notices = await q.regulator_case(ctx.tenant_id, complaint_id)
        if complaint.channel != "regulator":
            message = i18n.gettext(NOT_REGULATOR)
            return render(request, "errors/error.html",
                          {"status": 409, "message": message, "fields": {}}, status_code=409)
        # An official document for a Chinese regulator: in the tenant's language, not the reader's.
        with i18n.using_locale(ctx.tenant.locale):
            context = _base(ctx) | {
                "c": complaint, "notices": notices,
                "grounds": {g.code: g for g in policy_for(ctx.tenant.kind, ctx.tenant.settings).grounds},
                "outcome": a.outcome_of(complaint.status, complaint.decision),
            }
            html = pdf.print_html(REPORT_TEMPLATES + "regulator_report.html", context)
        job = await start_pdf(ctx, html, f"regulator-report-{complaint.number}.pdf", PRINTING_REGULATOR,
                              back={"route": "complaints.detail", "params": {"complaint_id": complaint_id}})
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)


async def _governance_page(
    request: Request, ctx: TenantContext, values: dict[str, str], errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = _base(ctx) | {
        "register": await q.governance_register(ctx.tenant_id), "kinds": GOVERNANCE_KINDS,
        "values": {"kind": "", "title": "", "body": "", "filed_with_regulator_on": ""} | values,
        "errors": errors, "can_edit": ctx.can("complaints.settings"),
    }
    return render(request, REPORT_TEMPLATES + "governance.html", context, status_code=status)


async def _print(request: Request, ctx: TenantContext, template: str, context: dict, filename: str, title: str,
                 back: str) -> Response:
    """The document's HTML, printed to PDF by a job; the answer is the job's page."""
    job = await start_pdf(ctx, pdf.print_html(template, context), filename, title,
                          back={"route": back, "params": {}})
    return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)


routes = [ReportsController]
