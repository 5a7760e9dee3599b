"""A art. 20's last step: the analysis report of a period issued to management (上报公司经营管理层),
the register of issued reports, and one issued report as it was frozen. Thin: parse the
period and the note, call the service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.complaints.controllers.reports_format import percent, period_title
from kefu.complaints.labels import ReportLabels
from kefu.complaints.policy import policy_for
from kefu.complaints.queries.reports import compute as a
from kefu.complaints.queries.reports import issued as q
from kefu.complaints.services import issue_analysis_report
from kefu.complaints.services.report_issues import NOTE_LIMIT
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.http_errors import error_response
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

PERM = [requires("complaints.reports")]
PERIOD_FIELDS = ("period", "year", "month", "quarter", "half", "from", "to")


def _base(ctx: TenantContext) -> dict:
    return {"labels": ReportLabels(policy_for(ctx.tenant.kind, ctx.tenant.settings)), "period_title": period_title,
            "percent": percent, "tz": ctx.tenant.timezone}


class IssuedReportsController(Controller):
    path = "/t/{slug:str}/complaints/reports"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @post("/analysis/issue", name="reports.analysis_issue", guards=PERM)
    async def issue(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """Issue the chosen period's report (the analysis page's form posts the period picker's
        values and a note); back to that period's report."""
        form = await Form.read(request)
        if not form.raw("period").strip():
            raise FieldError("period", "This field is required.")
        choice = a.parse_period({k: form.raw(k) for k in PERIOD_FIELDS if k not in form.invalid},
                                clock.today_in(ctx.tenant.timezone))
        if choice.errors:
            name, message = next(iter(choice.errors.items()))
            raise FieldError(name, message)
        note = form.text("note", max_length=NOTE_LIMIT, required=False, multiline=True)
        form.check()
        policy = policy_for(ctx.tenant.kind, ctx.tenant.settings)
        figures = await q.frozen_figures(ctx.tenant_id, choice.period, clock.today_in(ctx.tenant.timezone),
                                         channel_order=tuple(c.code for c in policy.channels),
                                         category_order=tuple(c.code for c in policy.categories))
        try:
            await issue_analysis_report(ctx, figures, note)
        except Refused as exc:
            return error_response(request, 409, message=exc.translated())
        flash(request, i18n.gettext("The report of %(period)s is recorded as issued to management.",
                                    period=period_title(choice.period)), "success")
        url = request.app.route_reverse("reports.analysis", slug=ctx.tenant.slug)
        return Redirect(f"{url}?{urlencode(choice.values)}#issue", status_code=303)

    @get("/issued", name="reports.issued", guards=PERM)
    async def register(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return render(request, "complaints/reports/issued.html", _base(ctx) | {"issues": await q.register(ctx.tenant_id)})

    @get("/issued/{issued_id:int}", name="reports.issued_detail", guards=PERM)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], issued_id: FromPath[int]) -> Response:
        return render(request, "complaints/reports/issued_detail.html",
                      _base(ctx) | {"issue": await q.issued_report(ctx.tenant_id, issued_id)})


routes = [IssuedReportsController]
