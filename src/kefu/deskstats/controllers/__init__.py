"""The monthly statistics page (a chart and the table by building), its Excel export, and the
month-end snapshot of a past month taken on demand."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock, excel
from kefu.core.errors import Refused
from kefu.core.forms import Form
from kefu.core.http_errors import error_response
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.deskstats import labels as _labels  # noqa: F401  (declares the audit words)
from kefu.deskstats import queries, services
from kefu.fees import schemas as fee_schemas
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("statistics.view")]
BAD_MONTH = i18n.lazy("Enter a month such as 2026-12.")


def _period(request: Request, ctx: TenantContext) -> date | None:
    """The asked month (the current one when none is asked), or None when it is not a month."""
    raw = request.query_params.get("period")
    if not raw:
        return clock.today_in(ctx.tenant.timezone).replace(day=1)
    return fee_schemas.parse_month(raw)


class DeskStatsController(Controller):
    path = "/t/{slug:str}/statistics"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="deskstats.index", guards=VIEW)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        period = _period(request, ctx)
        if period is None:
            return error_response(request, 400, "", {"period": i18n.gettext(BAD_MONTH)})
        return render(request, "deskstats/index.html", await queries.monthly(ctx, period))

    @get("/export.xlsx", name="deskstats.export", guards=VIEW)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        period = _period(request, ctx)
        if period is None:
            return error_response(request, 400, "", {"period": i18n.gettext(BAD_MONTH)})
        response = excel.download(await queries.export_monthly(ctx, period),
                                  f"statistics-{ctx.tenant.slug}-{period.isoformat()[:7]}.xlsx")
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @post("/snapshot", name="deskstats.snapshot", guards=VIEW)
    async def snapshot(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """Take a past month's snapshot (the form posts its month); back to the month's page."""
        form = await Form.read(request)
        period = fee_schemas.parse_month(str(form.data.get("period") or ""))
        if period is None:
            return error_response(request, 400, "", {"period": i18n.gettext(BAD_MONTH)})
        try:
            written = await services.take_snapshot(ctx, period)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        else:
            flash(request, i18n.gettext("The month-end snapshot is taken.") if written
                  else i18n.gettext("The month's snapshot was already taken."), "success")
        url = request.app.route_reverse("deskstats.index", slug=ctx.tenant.slug)
        return Redirect(f"{url}?period={period.isoformat()[:7]}", status_code=303)

    @post("/file", name="deskstats.file", guards=VIEW)
    async def file(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """File a month's statistics (C.i: 提交本月统计; the form posts its month and a note);
        back to the month's page. A month filed already is a 409 saying by whom and when."""
        form = await Form.read(request)
        period = None if "period" in form.invalid else fee_schemas.parse_month(form.raw("period").strip())
        if period is None:
            return error_response(request, 400, "", {"period": i18n.gettext(BAD_MONTH)})
        note = form.text("note", max_length=services.NOTE_LIMIT, required=False, multiline=True)
        form.check()
        try:
            await services.file_month(ctx, period, note)
        except Refused as exc:
            return error_response(request, 409, message=exc.translated())
        flash(request, i18n.gettext("The month's statistics are filed."), "success")
        url = request.app.route_reverse("deskstats.index", slug=ctx.tenant.slug)
        return Redirect(f"{url}?period={period.isoformat()[:7]}#filing", status_code=303)


routes: list = [DeskStatsController]
