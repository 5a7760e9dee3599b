"""The tenant's audit trail pages (tenant admins): filters by action, object and day."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from kefu.audit import queries
from kefu.core.forms import Form
from kefu.core.paging import page_number
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("audit.view")]


def _filters(params: dict[str, str], tz: str) -> tuple[dict[str, str], queries.EventFilters, dict[str, str]]:
    """What the form shows, what the query uses, and the errors by field."""
    form = Form(params)
    shown = {
        "action": form.text("action", max_length=80, required=False)[:80],
        "object_type": form.text("object_type", max_length=60, required=False)[:60],
        "since": params.get("since", ""), "until": params.get("until", ""),
    }
    bounds: dict[str, datetime | None] = {}
    for key, extra in (("since", 0), ("until", 1)):  # until is inclusive: the next midnight
        day = form.day(key, required=False)
        bounds[key] = (
            datetime.combine(day + timedelta(days=extra), time(), ZoneInfo(tz)).astimezone(UTC) if day else None
        )
    filters = queries.EventFilters(
        action=shown["action"] if "action" not in form.errors else "",
        object_type=shown["object_type"] if "object_type" not in form.errors else "",
        since=bounds["since"], until=bounds["until"],
    )
    return shown, filters, form.errors


class AuditController(Controller):
    path = "/t/{slug:str}/audit"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="audit.list", guards=VIEW)
    async def list_events(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        shown, filters, errors = _filters(params, ctx.tenant.timezone)
        page = await queries.search_events(ctx.tenant_id, filters, page_number(params.get("page")))
        return render(
            request, "audit/list.html", {"page": page, "filters": shown, "errors": errors},
            fragment="results", status_code=422 if errors else 200,
        )

    @get("/{event_id:int}", name="audit.detail", guards=VIEW)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], event_id: FromPath[int]) -> Response:
        event, actor = await queries.get_event(ctx.tenant_id, event_id)
        return render(request, "audit/detail.html", {"event": event, "actor": actor})


routes = [AuditController]
