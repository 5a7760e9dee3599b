"""The tenant's delivery settings page: its SMS provider (Aliyun SMS) and its sending hours.
The AccessKey secret is write-only: the page says whether one is stored, never what it is."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.notifications import policy, services, shipped
from kefu.notifications.queries import settings as settings_queries
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

PERM = [requires("notices.manage")]
PAGE = "notifications/settings.html"


def customer_kinds() -> list[str]:
    return [k for k in shipped.default_kinds() if shipped.to_customer(k)]


async def _page(request: Request, ctx: TenantContext, errors: dict[str, str], form: dict[str, Any] | None = None,
                status: int = 200) -> Response:
    saved = await settings_queries.settings_view(ctx.tenant_id)
    shown = saved | {"send_from": policy.clock_text(saved["send_from"]), "send_until": policy.clock_text(saved["send_until"])}
    context = {
        "s": shown | (form or {}), "errors": errors, "kinds": customer_kinds(),
        "kind_label": shipped.kind_label, "providers": policy.SMS_PROVIDERS,
    }
    return render(request, PAGE, context, status_code=status)


def _sms_form(form: Form) -> services.SmsSettings:
    return services.SmsSettings(
        provider=form.choice("sms_provider", policy.SMS_PROVIDERS, required=False),
        access_key_id=form.text("sms_access_key_id", max_length=100, required=False),
        secret=form.text("sms_secret", max_length=200, required=False),
        sign_name=form.text("sms_sign_name", max_length=40, required=False),
        templates={k: form.text(f"template_{k}", max_length=40, required=False) for k in customer_kinds()},
    )


class DeliverySettingsController(Controller):
    path = "/t/{slug:str}/notices/settings"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="notifications.settings", guards=PERM)
    async def show(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await _page(request, ctx, {})

    @post("/sms", name="notifications.sms_settings", guards=PERM)
    async def save_sms(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        sms = _sms_form(form)
        kept = {k: v for k, v in form.data.items() if k != "sms_secret"}  # the secret never goes back
        if not form.ok:
            return await _page(request, ctx, form.errors, kept | {"sms_templates": sms.templates}, 422)
        try:
            released = await services.save_sms_settings(ctx, sms)
        except FieldError as exc:
            return await _page(request, ctx, exc.translated_all(), kept | {"sms_templates": sms.templates}, 422)
        message = i18n.gettext("SMS settings saved.")
        if released:
            message += " " + i18n.gettext("%(n)s waiting SMS notices will be sent now.", n=len(released))
        flash(request, message, "success")
        return Redirect(request.app.route_reverse("notifications.settings", slug=ctx.tenant.slug))

    @post("/hours", name="notifications.sending_hours", guards=PERM)
    async def save_hours(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        try:
            send_from = policy.parse_clock("send_from", form.raw("send_from"))
            send_until = policy.parse_clock("send_until", form.raw("send_until"))
            await services.save_sending_hours(ctx, send_from, send_until)
        except FieldError as exc:
            return await _page(request, ctx, exc.translated_all(), dict(form.data), 422)
        flash(request, i18n.gettext("Sending hours saved."), "success")
        return Redirect(request.app.route_reverse("notifications.settings", slug=ctx.tenant.slug))
