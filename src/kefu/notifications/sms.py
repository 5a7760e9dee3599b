"""SMS: the tenant's provider (Aliyun SMS) sends a registered template with the notice's
variables. Without a provider, or without a template code for the notice's kind, the notice
waits as not configured; nothing is marked sent that no provider accepted.
"""

from __future__ import annotations

from typing import Protocol

from kefu import i18n
from kefu.notifications import aliyun
from kefu.notifications.channels import (
    NO_PHONE,
    SMS_NOT_CONFIGURED,
    DeliveryFailed,
    NotConfigured,
    Outgoing,
    Receipt,
)
from kefu.notifications.policy import SmsConfig
from kefu.settings import get_settings

NO_TEMPLATE_CODE = i18n.lazy("SMS is not configured for this kind of notice: it has no template code.")


class SmsAdapter(Protocol):
    async def send(self, out: Outgoing) -> Receipt:
        """Send or raise DeliveryFailed; `out.reference` identifies the notice to the provider."""


_installed: SmsAdapter | None = None  # tests install a fake provider here


def set_sms_adapter(adapter: SmsAdapter | None) -> None:
    """Install a provider for every tenant (tests); None goes back to the tenants' settings."""
    global _installed
    _installed = adapter


async def send_sms(out: Outgoing, config: SmsConfig | None) -> Receipt:
    if not out.recipient_phone:
        raise DeliveryFailed(NO_PHONE, permanent=True)
    if _installed is not None:
        return await _installed.send(out)
    if config is None or config.provider != "aliyun":
        raise NotConfigured(SMS_NOT_CONFIGURED)
    code = config.templates.get(out.kind, "")
    if not code:
        raise NotConfigured(NO_TEMPLATE_CODE)
    return await aliyun.send(config, out, code, get_settings().aliyun_sms_endpoint)
