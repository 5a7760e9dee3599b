"""Reading a tenant's delivery settings: for delivery (the SMS secret unsealed) and for the
settings page (never the secret: only whether one is stored)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from kefu.core.crypto import UnreadableSecret, decrypt
from kefu.core.scoping import scoped
from kefu.notifications.policy import DEFAULT_SEND_FROM, DEFAULT_SEND_UNTIL, SmsConfig
from kefu.notifications.tables import DeliverySetting

log = logging.getLogger("kefu.notifications")
COLUMNS = (
    DeliverySetting.id, DeliverySetting.sms_provider, DeliverySetting.sms_access_key_id,
    DeliverySetting.sms_secret_sealed, DeliverySetting.sms_sign_name, DeliverySetting.sms_templates,
    DeliverySetting.send_from, DeliverySetting.send_until, DeliverySetting.updated_at,
)


@dataclass(frozen=True)
class DeliveryConfig:
    sms: SmsConfig | None = None
    send_from: int = DEFAULT_SEND_FROM  # minutes after midnight, tenant time
    send_until: int = DEFAULT_SEND_UNTIL
    row: dict[str, Any] = field(default_factory=dict, repr=False)


def _templates(raw: Any) -> dict[str, str]:
    value = json.loads(raw) if isinstance(raw, str) else (raw or {})
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


async def _row(tenant_id: int) -> dict[str, Any] | None:
    return await scoped(DeliverySetting, tenant_id, *COLUMNS).first()


def _sms(tenant_id: int, row: dict[str, Any]) -> SmsConfig | None:
    if not row["sms_provider"] or not row["sms_secret_sealed"]:
        return None
    try:
        secret = decrypt(row["sms_secret_sealed"])
    except UnreadableSecret:
        log.warning("tenant %s: the SMS secret cannot be unsealed (KEFU_SECRET_KEY or KEFU_ENCRYPTION_KEY changed?)", tenant_id)
        return None
    return SmsConfig(
        provider=row["sms_provider"], access_key_id=row["sms_access_key_id"], secret=secret,
        sign_name=row["sms_sign_name"], templates=_templates(row["sms_templates"]),
    )


async def delivery_config(tenant_id: int) -> DeliveryConfig:
    """In the caller's transaction (tenant set)."""
    row = await _row(tenant_id)
    if row is None:
        return DeliveryConfig()
    return DeliveryConfig(sms=_sms(tenant_id, row), send_from=row["send_from"], send_until=row["send_until"], row=row)


async def settings_view(tenant_id: int) -> dict[str, Any]:
    """The settings page's values: no secret, only `has_secret`."""
    row = await _row(tenant_id) or {}
    return {
        "sms_provider": row.get("sms_provider", ""), "sms_access_key_id": row.get("sms_access_key_id", ""),
        "has_secret": bool(row.get("sms_secret_sealed")), "sms_sign_name": row.get("sms_sign_name", ""),
        "sms_templates": _templates(row.get("sms_templates")),
        "send_from": row.get("send_from", DEFAULT_SEND_FROM), "send_until": row.get("send_until", DEFAULT_SEND_UNTIL),
        "updated_at": row.get("updated_at"),
    }
