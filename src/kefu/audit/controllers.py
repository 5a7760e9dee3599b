"""Tenant admins browse and filter the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from kefu import i18n
from kefu.audit.tables import AuditEvent
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

PAGE_SIZE = 50


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class AuditController(Controller):
    path = "/t/{slug:str}/audit"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="audit.list", guards=[requires("audit.view")])
    async def list_events(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        q = request.query_params
        filters = {
            "action": (q.get("action") or "").strip()[:80],
            "object_type": (q.get("object_type") or "").strip()[:60],
            "since": q.get("since") or "",
            "until": q.get("until") or "",
        }
        errors = {}
        conditions = []
        if filters["action"]:
            conditions.append(AuditEvent.action.like(f"{filters['action']}%"))
        if filters["object_type"]:
            conditions.append(AuditEvent.object_type == filters["object_type"])
        tz = ZoneInfo(ctx.tenant.timezone)
        for key, op in (("since", "ge"), ("until", "lt")):
            if not filters[key]:
                continue
            day = _parse_day(filters[key])
            if day is None:
                errors[key] = i18n.gettext("Enter a date as YYYY-MM-DD.")
                continue
            if key == "until":
                day += timedelta(days=1)
            bound = datetime.combine(day, time(), tz).astimezone(UTC)
            conditions.append(AuditEvent.created_at >= bound if op == "ge" else AuditEvent.created_at < bound)
        number = page_number(q.get("page"))
        query = scoped(
            AuditEvent, ctx.tenant_id, AuditEvent.id, AuditEvent.action, AuditEvent.object_type,
            AuditEvent.object_id, AuditEvent.created_at, AuditEvent.request_id,
            AuditEvent.actor.name.as_alias("actor_name"),
        )
        count = scoped_count(AuditEvent, ctx.tenant_id)
        for condition in conditions:
            query = query.where(condition)
            count = count.where(condition)
        rows = await query.order_by(AuditEvent.id, ascending=False).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        page = Page(rows=rows, number=number, size=PAGE_SIZE, total=await count)
        return render(
            request, "audit/list.html", {"page": page, "filters": filters, "errors": errors},
            fragment="results", status_code=422 if errors else 200,
        )

    @get("/{event_id:int}", name="audit.detail", guards=[requires("audit.view")])
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], event_id: FromPath[int]) -> Response:
        event = await get_in_tenant(AuditEvent, ctx.tenant_id, event_id)
        actor = await event.get_related(AuditEvent.actor) if event.actor else None
        return render(request, "audit/detail.html", {"event": event, "actor": actor})


routes = [AuditController]
