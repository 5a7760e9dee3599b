"""A tenant's delivery settings: its SMS provider (the secret sealed, never shown or logged
again) and its sending hours. Saving a working SMS provider releases the SMS notices that were
waiting for one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.crypto import encrypt
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications.policy import KIND_RE, PERMISSION, SMS_PROVIDERS
from kefu.notifications.services.outbox import nudge, release_waiting
from kefu.notifications.tables import DeliverySetting

TEMPLATE_CODE_MAX = 40


@dataclass(frozen=True)
class SmsSettings:
    provider: str  # "" turns SMS off
    access_key_id: str = ""
    secret: str = field(default="", repr=False)  # "" keeps the stored one
    sign_name: str = ""
    templates: dict[str, str] = field(default_factory=dict)


def check_sms(sms: SmsSettings, has_secret: bool) -> None:
    """Raises FieldErrors naming every bad field."""
    errors: dict[str, FieldError] = {}
    if sms.provider not in ("", *SMS_PROVIDERS):
        errors["sms_provider"] = FieldError("sms_provider", "Choose a value from the list.")
    if sms.provider:
        for name, value, limit in (("sms_access_key_id", sms.access_key_id, 100), ("sms_sign_name", sms.sign_name, 40)):
            if not value.strip():
                errors[name] = FieldError(name, "This field is required.")
            elif len(value) > limit:
                errors[name] = FieldError(name, "At most %(max)s characters.", max=limit)
        if not sms.secret and not has_secret:
            errors["sms_secret"] = FieldError("sms_secret", "This field is required.")
    for kind, code in sms.templates.items():
        if code and (not KIND_RE.match(kind) or len(code) > TEMPLATE_CODE_MAX or not code.replace("_", "").isalnum()):
            name = f"template_{kind}"
            errors[name] = FieldError(name, "Enter a template code such as SMS_123456789.")
    if errors:
        raise FieldErrors(errors)


async def _existing(tenant_id: int) -> dict[str, Any] | None:
    return await scoped(DeliverySetting, tenant_id, DeliverySetting.id, DeliverySetting.sms_secret_sealed).first()


async def _upsert(ctx: TenantContext, values: dict[Any, Any]) -> int:
    existing = await _existing(ctx.tenant_id)
    values = values | {DeliverySetting.updated_at: clock.now(), DeliverySetting.updated_by: ctx.user.id}
    if existing is not None:
        await DeliverySetting.update(values).where(
            DeliverySetting.tenant == ctx.tenant_id, DeliverySetting.id == existing["id"]
        )
        return existing["id"]
    row = DeliverySetting(tenant=ctx.tenant_id, **{col._meta.name: v for col, v in values.items()})
    await row.save()
    return row.id


async def save_sms_settings(ctx: TenantContext, sms: SmsSettings) -> list[int]:
    """Store the tenant's SMS provider; the ids of the waiting SMS notices it released."""
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        existing = await _existing(ctx.tenant_id)
        check_sms(sms, bool(existing and existing["sms_secret_sealed"]))
        values = {
            DeliverySetting.sms_provider: sms.provider, DeliverySetting.sms_access_key_id: sms.access_key_id.strip(),
            DeliverySetting.sms_sign_name: sms.sign_name.strip(),
            DeliverySetting.sms_templates: json.dumps({k: v for k, v in sms.templates.items() if v}),
        }
        if sms.secret:
            values[DeliverySetting.sms_secret_sealed] = encrypt(sms.secret.strip())
        setting_id = await _upsert(ctx, values)
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="delivery.sms_settings",
            object_type="delivery_setting", object_id=setting_id,
            after={"provider": sms.provider, "access_key_id": sms.access_key_id.strip(), "sign_name": sms.sign_name,
                   "templates": sms.templates, "secret_changed": bool(sms.secret)},
        )
        released = await release_waiting(ctx.tenant_id, "sms") if sms.provider else []
    await nudge(ctx.tenant_id, released)
    return released


async def save_sending_hours(ctx: TenantContext, send_from: int, send_until: int) -> None:
    """The hours notices and invitations reach customers, in the tenant's time zone."""
    ctx.require(PERMISSION)
    if not (0 <= send_from < 24 * 60 and 0 <= send_until < 24 * 60):
        raise FieldError("send_from", "Enter a time as HH:MM, for example 08:00.")
    async with transaction(ctx.tenant_id):
        setting_id = await _upsert(ctx, {DeliverySetting.send_from: send_from, DeliverySetting.send_until: send_until})
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="delivery.sending_hours",
            object_type="delivery_setting", object_id=setting_id,
            after={"send_from": send_from, "send_until": send_until},
        )
