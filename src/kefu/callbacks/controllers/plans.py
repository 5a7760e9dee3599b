"""The yearly callback plan (A art. 22(1)): campaigns planned per kind and month against those
opened and scheduled, the year's tasks done and done on time; managers edit the grid. The year
is a query (or form) value, not a path id."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.callbacks.controllers.helpers import pack, words
from kefu.callbacks.labels import Labels
from kefu.callbacks.policy import plans as rules
from kefu.callbacks.queries import plans as queries
from kefu.callbacks.services import plans as services
from kefu.core import clock
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.forms import Form, clean_text
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("callbacks.view")]
MANAGE = [requires("callbacks.manage")]
MAX_NOTE = 2000
CELL_STATE = Labels({"met": i18n.lazy("Opened as planned"), "scheduled": i18n.lazy("Scheduled"),
                     "missed": i18n.lazy("Missed"), "due": i18n.lazy("Not opened yet"),
                     "unplanned": i18n.lazy("Opened without a plan")})


def _year(ctx: TenantContext, text: str | None) -> int:
    return rules.year_of(text or "") or clock.today_in(ctx.tenant.timezone).year


class PlanController(Controller):
    path = "/t/{slug:str}/callbacks/plan"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    async def _page(self, request: Request, ctx: TenantContext, year: int, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        if not ctx.can("callbacks.manage"):
            ctx.require("callbacks.view")
        found = await queries.plan(ctx, year)
        years = sorted(set(await queries.plan_years(ctx)) | {year - 1, year, year + 1})
        context = words(ctx) | found | {"years": years, "errors": errors or {}, "values": values,
                                        "state_label": CELL_STATE, "kinds": list(pack(ctx).kinds)}
        return render(request, "callbacks/plan.html", context, status_code=status_code)

    @get("/", name="callbacks.plan", guards=VIEW)
    async def show(self, request: Request, ctx: NamedDependency[TenantContext],
                   year: FromQuery[str | None] = None) -> Response:
        return await self._page(request, ctx, _year(ctx, year))

    @post("/", name="callbacks.plan_save", guards=MANAGE)
    async def save(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        values = dict(form.data)
        year = rules.year_of(form.raw("year"))
        if year is None:
            return await self._page(request, ctx, _year(ctx, None), {"year": i18n.gettext("Enter a valid value.")},
                                    values, 422)
        grid, problems = rules.read_grid({k: form.raw(k) for k in values}, list(pack(ctx).kinds))
        note, problem = clean_text(form.raw("note"), max_length=MAX_NOTE, multiline=True)
        if problem:
            problems["note"] = problem
        try:
            if problems:
                raise FieldErrors({k: FieldError(k, m, max=MAX_NOTE) for k, m in problems.items()})
            await services.save_plan(ctx, year, grid, note)
        except FieldError as exc:
            return await self._page(request, ctx, year, exc.translated_all(), values, 422)
        flash(request, i18n.gettext("The callback plan is saved."), "success")
        return Redirect(request.app.route_reverse("callbacks.plan", slug=ctx.tenant.slug) + f"?year={year}",
                        status_code=303)
