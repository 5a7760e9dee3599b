"""Bills: a month's list with its filters, generating a month in bulk, one bill with its
payments and the payment form, and the printed receipt of a payment."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock, pdf
from kefu.core.errors import FieldErrors, Refused
from kefu.core.forms import Form, parse_int
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.fees import queries, schemas, services
from kefu.fees.labels import helpers
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import queries as units

VIEW = [requires("fees.view")]


def _filters(request: Request, ctx: TenantContext) -> queries.BillFilters:
    q = request.query_params
    period = schemas.parse_month(q.get("period", "")) or clock.today_in(ctx.tenant.timezone).replace(day=1)
    building = parse_int(q.get("building", ""))
    return queries.BillFilters(period=period, building=building if building and building > 0 else None,
                               unpaid=q.get("unpaid") == "1")


def _bill_url(request: Request, ctx: TenantContext, bill_id: int) -> str:
    return request.app.route_reverse("fees.bill", slug=ctx.tenant.slug, bill_id=bill_id)


async def _bill(request: Request, ctx: TenantContext, bill_id: int, data: dict, errors: dict,
                status: int = 200) -> Response:
    today = clock.today_in(ctx.tenant.timezone)
    context = helpers(ctx.tenant.kind) | await queries.bill_page(ctx, bill_id) | {
        "data": {"paid_on": today.isoformat(), "method": "cash"} | data, "errors": errors}
    return render(request, "fees/bill.html", context, status_code=status)


class BillController(Controller):
    path = "/t/{slug:str}/fees"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/bills", name="fees.bills", guards=VIEW)
    async def bills(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        filters = _filters(request, ctx)
        context = helpers(ctx.tenant.kind) | {
            "page": await queries.search_bills(ctx, filters, request.query_params.get("page")),
            "filters": filters, "buildings": await units.buildings(ctx), "errors": {}}
        return render(request, "fees/bills.html", context, fragment="results")

    @post("/bills/generate", name="fees.generate", guards=[requires("fees.manage")])
    async def generate(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        period = schemas.month(form)
        if period is None:
            flash(request, form.errors["period"], "error")
            return Redirect(request.app.route_reverse("fees.bills", slug=ctx.tenant.slug), status_code=303)
        made = await services.generate_bills(ctx, period)
        flash(request, i18n.gettext("%(n)s bills made for %(month)s.", n=made, month=period.isoformat()[:7]),
              "success")
        url = request.app.route_reverse("fees.bills", slug=ctx.tenant.slug)
        return Redirect(f"{url}?period={period.isoformat()[:7]}", status_code=303)

    @get("/bills/{bill_id:int}", name="fees.bill", guards=VIEW)
    async def bill(self, request: Request, ctx: NamedDependency[TenantContext], bill_id: FromPath[int]) -> Response:
        return await _bill(request, ctx, bill_id, {}, {})

    @post("/bills/{bill_id:int}/payments", name="fees.pay", guards=[requires("fees.collect")])
    async def pay(self, request: Request, ctx: NamedDependency[TenantContext], bill_id: FromPath[int]) -> Response:
        await queries.bill_page(ctx, bill_id)  # 404 before reading the form
        form = await Form.read(request)
        try:
            payment = await services.record_payment(ctx, bill_id, form)
        except FieldErrors as exc:
            return await _bill(request, ctx, bill_id, form.data, exc.translated_all(), status=422)
        except Refused as exc:
            return await _bill(request, ctx, bill_id, form.data, {"amount": exc.translated()}, status=409)
        flash(request, i18n.gettext("Payment recorded: receipt %(no)s.", no=payment.receipt_no), "success")
        return Redirect(_bill_url(request, ctx, bill_id), status_code=303)

    @get("/payments/{payment_id:int}/receipt.pdf", name="fees.receipt", guards=VIEW)
    async def receipt(self, request: Request, ctx: NamedDependency[TenantContext],
                      payment_id: FromPath[int]) -> Response:
        context = helpers(ctx.tenant.kind) | await queries.receipt(ctx, payment_id) | {
            "tenant_name": ctx.tenant.name, "locale": i18n.current_locale()}
        try:
            content = await pdf.render_pdf("fees/receipt_print.html", context)
        except pdf.PdfUnavailable as exc:
            return render(request, "errors/error.html",
                          {"status": 503, "message": exc.translated(), "fields": {}}, status_code=503)
        response = pdf.download(content, f"receipt-{context['payment'].receipt_no}.pdf", "application/pdf")
        response.headers["Cache-Control"] = "private, no-store"
        return response
