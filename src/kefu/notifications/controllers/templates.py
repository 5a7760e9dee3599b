"""Staff pages of notice templates: the list, edit per kind/locale/channel, live preview, reset."""

from __future__ import annotations

import asyncio
from datetime import date
from functools import partial

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock
from kefu.core.errors import FieldError, FormErrors
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.notifications import policy, services, shipped, templating
from kefu.notifications.policy import CHANNEL_LABELS
from kefu.notifications.queries import wordings
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

PERM = [requires("notices.manage")]
FORM = "notifications/template_form.html"


def _page_context(ctx: TenantContext, data: dict, errors: dict, template_id: int | None = None) -> dict:
    # A form posted without its kind, locale or channel is shown again with them empty.
    data = {"kind": "", "locale": "zh_CN", "channel": "", "subject": "", "body": ""} | dict(data)
    kind = data["kind"]
    return {
        "data": data, "errors": errors, "template_id": template_id, "preview": None,
        "kind_label": shipped.kind_label, "channel_labels": CHANNEL_LABELS, "tr": i18n.gettext,
        "variables": sorted(shipped.sample_context(kind, data.get("locale", "zh_CN"), ctx.tenant.name, _today(ctx),
                                                   ctx.tenant.kind)),
    }


def _today(ctx: TenantContext) -> date:
    return clock.today_in(ctx.tenant.timezone)


def _key(data: dict) -> dict[str, str]:
    return {k: (data.get(k) or "").strip() for k in ("kind", "locale", "channel")}


async def _save(request: Request, ctx: TenantContext, data: dict, template_id: int | None) -> Response:
    try:
        template_id = await services.save_template(
            ctx, **_key(data), subject=data.get("subject", ""), body=data.get("body", "")
        )
    except FieldError as exc:
        errors = {exc.field: exc.translated()}
    except FormErrors as exc:
        errors = exc.errors
    else:
        flash(request, i18n.gettext("Template saved."), "success")
        url = request.app.route_reverse("notifications.template_edit", slug=ctx.tenant.slug, template_id=template_id)
        return Redirect(url)
    return render(request, FORM, _page_context(ctx, data, errors, template_id), status_code=422)


class NoticeTemplateController(Controller):
    path = "/t/{slug:str}/notices/templates"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="notifications.templates", guards=PERM)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        rows = await wordings.template_rows(ctx.tenant_id)
        return render(request, "notifications/templates.html", {"rows": rows, "channel_labels": CHANNEL_LABELS, "tr": i18n.gettext})

    @get("/new", name="notifications.template_new", guards=PERM)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        key = _key(dict(request.query_params))
        policy.check_key(**key)
        existing = await wordings.template_id_for(ctx.tenant_id, **key)
        if existing is not None:
            return Redirect(request.app.route_reverse("notifications.template_edit", slug=ctx.tenant.slug, template_id=existing))
        default = shipped.default_wording(**key) or templating.Wording("", "")
        data = key | {"subject": default.subject, "body": default.body}
        return render(request, FORM, _page_context(ctx, data, {}))

    @post("/", name="notifications.template_create", guards=PERM)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await _save(request, ctx, (await Form.read(request)).data, None)

    @get("/{template_id:int}", name="notifications.template_edit", guards=PERM)
    async def edit(self, request: Request, ctx: NamedDependency[TenantContext], template_id: FromPath[int]) -> Response:
        data = await wordings.template_fields(ctx.tenant_id, template_id)
        return render(request, FORM, _page_context(ctx, data, {}, template_id))

    @post("/{template_id:int}", name="notifications.template_update", guards=PERM)
    async def update(self, request: Request, ctx: NamedDependency[TenantContext], template_id: FromPath[int]) -> Response:
        saved = await wordings.template_fields(ctx.tenant_id, template_id)
        form = await Form.read(request)
        data = saved | {"subject": form.data.get("subject", ""), "body": form.data.get("body", "")}
        return await _save(request, ctx, data, template_id)

    @post("/{template_id:int}/reset", name="notifications.template_reset", guards=PERM)
    async def reset(self, request: Request, ctx: NamedDependency[TenantContext], template_id: FromPath[int]) -> Response:
        await services.reset_template(ctx, template_id)
        flash(request, i18n.gettext("The default wording applies again."), "success")
        return Redirect(request.app.route_reverse("notifications.templates", slug=ctx.tenant.slug))

    @post("/preview", name="notifications.template_preview", guards=PERM)
    async def preview(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        data = (await Form.read(request)).data
        context = _page_context(ctx, data, {})
        try:
            # In a thread: the tenant's wording renders with a time budget, off the event loop.
            context["preview"] = await asyncio.to_thread(partial(
                services.preview, **_key(data), subject=data.get("subject", ""), body=data.get("body", ""),
                tenant_name=ctx.tenant.name, today=_today(ctx), tenant_kind=ctx.tenant.kind,
            ))
        except FieldError as exc:
            context["errors"] = {exc.field: exc.translated()}
        except FormErrors as exc:
            context["errors"] = exc.errors
        status = 422 if context["errors"] else 200
        return render(request, FORM, context, fragment="preview", status_code=status)
