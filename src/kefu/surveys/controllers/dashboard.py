"""The surveys dashboard (rounds with their live response and validity rates, the half-year
status of C.d), the tenant's half-year schedule form, and a customer's invitations (a section
of the customer's page)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import read_raw
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.surveys import labels
from kefu.surveys.controllers.helpers import helpers
from kefu.surveys.policy.audience import Audience
from kefu.surveys.policy.schedule import label_text
from kefu.surveys.queries import audience as audiences
from kefu.surveys.queries import customer_section, dashboard
from kefu.surveys.schemas import rounds as forms
from kefu.surveys.services import schedule
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("surveys.view")]
MANAGE = [requires("surveys.manage")]
# A section of the customer's page: whoever may see the customer sees their invitations.
CUSTOMER_VIEW = [requires("customers.view")]


async def half_year_context(ctx: TenantContext) -> dict[str, Any]:
    """What the dashboard and the tenant's home page say about the half-year survey."""
    status = await dashboard.half_year_status(ctx.tenant)
    return {
        "half": status, "half_text": label_text(status.current),
        "missed_text": "、".join(label_text(h) for h in status.missed_all) if status.missed_all else "",
    }


async def _schedule_context(ctx: TenantContext, data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return helpers() | {
        "data": data, "errors": errors, "templates": await dashboard.templates_choice(ctx.tenant_id),
        "choices": await audiences.choices(ctx.tenant_id),
        "chosen_buildings": data.get("_buildings", []), "chosen_kinds": data.get("_kinds", []),
    }


def _form_data(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {"enabled": "on", "first_half_opens": "05-01", "second_half_opens": "11-01", "duration_days": "14",
                "reminder_after_days": "7", "audience": "all", "open_link": "on"}
    aud = Audience.from_json(row["audience"])
    return {
        "template_id": str(row["template"]), "enabled": "on" if row["enabled"] else "",
        "first_half_opens": row["first_half_opens"], "second_half_opens": row["second_half_opens"],
        "duration_days": str(row["duration_days"]), "reminder_after_days": str(row["reminder_after_days"]),
        "audience": aud.kind, "segment": aud.segment, "open_link": "on" if row["open_link"] else "",
        "_buildings": list(aud.buildings), "_kinds": list(aud.customer_kinds),
    }


class SurveysController(Controller):
    path = "/t/{slug:str}/surveys"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="surveys.index", guards=VIEW)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        rows = await dashboard.list_rounds(ctx.tenant_id)
        counts = await dashboard.counts(ctx.tenant_id, rows)
        context = helpers() | await half_year_context(ctx) | {
            "rounds": rows, "counts": counts, "has_schedule": await dashboard.get_schedule(ctx.tenant_id) is not None,
        }
        return render(request, "surveys/index.html", context, fragment="rounds")

    @get("/half-year", name="surveys.half_year", guards=VIEW)
    async def half_year(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """The half-year status alone: the tenant's home page loads it (htmx) for members who
        may see surveys."""
        context = helpers() | await half_year_context(ctx)
        return render(request, "surveys/rounds/half_year.html", context, fragment="status")

    @get("/customers/{customer_id:int}", name="surveys.customer", guards=CUSTOMER_VIEW)
    async def customer(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        """The customer's page loads this list (htmx); without JavaScript its link opens it alone."""
        context = await customer_section(ctx, customer_id) | {"state_label": labels.CUSTOMER_INVITATION_STATE}
        return render(request, "surveys/customer.html", context, fragment="invitations")

    @get("/schedule", name="surveys.schedule", guards=MANAGE)
    async def schedule_form(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        data = _form_data(await dashboard.get_schedule(ctx.tenant_id))
        return render(request, "surveys/rounds/schedule.html", await _schedule_context(ctx, data, {}))

    @post("/schedule", name="surveys.schedule_save", guards=MANAGE)
    async def schedule_save(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        data = forms.form_data(await read_raw(request))
        try:
            values = await forms.read_schedule(ctx, request)
            await schedule.save_schedule(ctx.tenant, ctx.user.id, **values)
        except FieldError as exc:
            context = await _schedule_context(ctx, data, {exc.field: exc.translated()})
            return render(request, "surveys/rounds/schedule.html", context, status_code=422)
        flash(request, i18n.gettext("The half-year schedule is saved."), "success")
        return Redirect(request.app.route_reverse("surveys.index", slug=ctx.tenant.slug), status_code=303)
