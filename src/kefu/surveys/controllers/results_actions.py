"""Improvement actions (B.l): the list with its filters and Excel export, a new action (from a
round's results, prefilled with the round and the question), the detail page to edit it and
follow it to closure. surveys.view to see; surveys.actions to change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock, excel
from kefu.core.errors import FormErrors, Refused
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.surveys import labels
from kefu.surveys.policy import actions as policy
from kefu.surveys.queries import actions as q
from kefu.surveys.schemas import actions as schemas
from kefu.surveys.services import actions as a
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("surveys.view")]
ACT = [requires("surveys.actions")]
T = "surveys/actions/"


def action_flags(today: date, can_act: bool = False) -> Callable[[dict[str, Any]], policy.ActionFlags]:
    """For the templates: an action row's flags (overdue, done, the buttons it offers)."""
    return lambda row: policy.flags(row["status"], row["due_on"], today, can_act=can_act)


def _base(ctx: TenantContext) -> dict[str, Any]:
    today = clock.today_in(ctx.tenant.timezone)
    can_act = ctx.can(a.PERMISSION)
    return {
        "today": today, "tz": ctx.tenant.timezone,
        "status_labels": labels.ACTION_STATUS, "filter_labels": labels.ACTION_FILTER, "filters_list": policy.FILTERS,
        "action_flags": action_flags(today, can_act), "owner_label": q.owner_label, "can_act": can_act,
    }


async def _form_context(ctx: TenantContext, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return _base(ctx) | {
        "values": {k: "" for k in schemas.FIELDS} | values, "errors": errors,
        "members": await q.members(ctx), "rounds": await q.rounds(ctx),
    }


def _values_of(row: dict[str, Any]) -> dict[str, str]:
    return {
        "title": row["title"], "description": row["description"], "owner_id": str(row["owner_id"] or ""),
        "owner_name": row["owner_name"], "due_on": row["due_on"].isoformat() if row["due_on"] else "",
        "round_id": str(row["round_id"] or ""), "question_key": row["question_key"],
    }


class ActionsController(Controller):
    path = "/t/{slug:str}/surveys/actions"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("", name="surveys.actions", guards=VIEW)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        filters = schemas.parse_filters(request.query_params)
        page = await q.list_actions(ctx, filters, request.query_params.get("page"))
        query = urlencode(filters.query())
        context = _base(ctx) | {"filters": filters, "page": page, "query": query,
                                "rounds": await q.rounds(ctx)}
        return render(request, T + "list.html", context, fragment="list")

    @get("/export.xlsx", name="surveys.actions_xlsx", guards=VIEW)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        rows = await q.export_rows(ctx, schemas.parse_filters(request.query_params))
        today = clock.today_in(ctx.tenant.timezone)
        content = q.actions_workbook(rows, today, ctx.tenant.timezone)
        return excel.download(content, f"improvement-actions-{today.isoformat()}.xlsx")

    @get("/new", name="surveys.action_new", guards=ACT)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        prefill = {"round_id": request.query_params.get("round") or "",
                   "question_key": (request.query_params.get("question") or "")[:schemas.KEY_MAX],
                   "title": (request.query_params.get("title") or "")[:schemas.TITLE_MAX]}
        return render(request, T + "new.html", await _form_context(ctx, prefill, {}))

    @post("", name="surveys.action_create", guards=ACT)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        values = {k: form.data.get(k, "") for k in schemas.FIELDS}
        try:
            row = await a.create_action(ctx, schemas.read_form(form))
        except FormErrors as exc:
            return render(request, T + "new.html", await _form_context(ctx, values, exc.errors), status_code=422)
        flash(request, i18n.gettext("The improvement action is recorded."), "success")
        return Redirect(request.app.route_reverse("surveys.action", slug=ctx.tenant.slug, action_id=row.id),
                        status_code=303)

    @get("/{action_id:int}", name="surveys.action", guards=VIEW)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], action_id: FromPath[int]) -> Response:
        return await _detail(request, ctx, action_id, {}, {})

    @post("/{action_id:int}", name="surveys.action_update", guards=ACT)
    async def update(self, request: Request, ctx: NamedDependency[TenantContext], action_id: FromPath[int]) -> Response:
        form = await Form.read(request)
        values = {k: form.data.get(k, "") for k in schemas.FIELDS}
        try:
            await a.update_action(ctx, action_id, schemas.read_form(form))
        except FormErrors as exc:
            return await _detail(request, ctx, action_id, values, exc.errors, 422)
        flash(request, i18n.gettext("Saved."), "success")
        return _back(request, ctx, action_id)

    @post("/{action_id:int}/close", name="surveys.action_close", guards=ACT)
    async def close(self, request: Request, ctx: NamedDependency[TenantContext], action_id: FromPath[int]) -> Response:
        form = await Form.read(request)
        try:
            await a.close_action(ctx, action_id, status=form.data.get("status", ""),
                                 outcome=form.data.get("outcome", ""), closed_on=form.data.get("closed_on", ""))
        except FormErrors as exc:
            close = {k: form.data.get(k, "") for k in ("status", "outcome", "closed_on")}
            return await _detail(request, ctx, action_id, {}, exc.errors, 422, close)
        except Refused as exc:
            flash(request, exc.translated(), "error")
            return _back(request, ctx, action_id)
        flash(request, i18n.gettext("The action is closed."), "success")
        return _back(request, ctx, action_id)

    @post("/{action_id:int}/reopen", name="surveys.action_reopen", guards=ACT)
    async def reopen(self, request: Request, ctx: NamedDependency[TenantContext], action_id: FromPath[int]) -> Response:
        try:
            await a.reopen_action(ctx, action_id)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        else:
            flash(request, i18n.gettext("The action is open again."), "success")
        return _back(request, ctx, action_id)


def _back(request: Request, ctx: TenantContext, action_id: int) -> Redirect:
    return Redirect(request.app.route_reverse("surveys.action", slug=ctx.tenant.slug, action_id=action_id),
                    status_code=303)


async def _detail(request: Request, ctx: TenantContext, action_id: int, values: dict[str, str],
                  errors: dict[str, str], status: int = 200, close: dict[str, str] | None = None) -> Response:
    row = await q.get_action(ctx, action_id)
    context = await _form_context(ctx, values or _values_of(row), errors)
    if row["owner_id"] and all(m["id"] != row["owner_id"] for m in context["members"]):
        # The owner has left the tenant: still shown, and kept when the action is saved.
        context["members"].append({"id": row["owner_id"], "name": row["owner_user_name"] or ""})
    context |= {
        "action": row, "trail": await q.trail(ctx, action_id), "audit_labels": labels.ACTION_EVENT,
        "close": {"status": "done", "outcome": "", "closed_on": ""} | (close or {}),
    }
    return render(request, T + "detail.html", context, status_code=status)


routes = [ActionsController]
