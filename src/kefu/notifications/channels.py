"""The delivery actors: email over SMTP, SMS through an adapter, letters as PDF.

Each raises DeliveryFailed with a reason staff can read; `permanent` failures (no address, a
refused recipient, a template that does not render) go straight to "dead" instead of retrying.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Protocol

from kefu import i18n
from kefu.core import clock, pdf
from kefu.core.web import environment
from kefu.notifications.templating import Wording
from kefu.settings import Settings, get_settings

log = logging.getLogger("kefu.notifications")
SMTP_TIMEOUT = 30

# Reasons stored in Notice.last_error as msgids, so the outbox page shows them translated.
NOT_CONFIGURED = i18n.lazy("Email is not configured (KEFU_SMTP_HOST is not set).")
NO_EMAIL = i18n.lazy("The recipient has no email address.")
NO_PHONE = i18n.lazy("The recipient has no mobile phone number.")
NO_PDF = i18n.lazy("Letters cannot be made: the PDF renderer (WeasyPrint) is not available.")


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """Everything a channel needs to send one notice, already rendered."""

    tenant_id: int
    notice_id: int
    kind: str
    locale: str
    tenant_name: str
    recipient_name: str
    recipient_email: str
    recipient_phone: str
    recipient_address: str
    wording: Wording
    today: date

    @property
    def reference(self) -> str:
        return f"notice-{self.tenant_id}-{self.notice_id}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---- email -------------------------------------------------------------------------------

def build_email(out: Outgoing, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = _one_line(out.wording.subject)
    message["From"] = formataddr((_one_line(out.tenant_name), settings.smtp_from))
    message["To"] = formataddr((_one_line(out.recipient_name), out.recipient_email))
    message["Date"] = format_datetime(clock.now())
    domain = settings.smtp_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=out.reference, domain=domain)
    message.set_content(out.wording.body)
    return message


def _smtp_send(settings: Settings, message: EmailMessage) -> None:
    assert settings.smtp_host
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(message)


async def send_email(out: Outgoing) -> None:
    settings = get_settings()
    if not out.recipient_email:
        raise DeliveryFailed(NO_EMAIL, permanent=True)
    if not settings.smtp_host:
        log.warning("%s: email is not configured (KEFU_SMTP_HOST); not sent", out.reference)
        raise DeliveryFailed(NOT_CONFIGURED)
    message = build_email(out, settings)
    try:
        await asyncio.to_thread(_smtp_send, settings, message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryFailed(f"SMTP refused the recipient: {exc.recipients}", permanent=all(c >= 500 for c in codes)) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from None


# ---- sms ---------------------------------------------------------------------------------

class SmsAdapter(Protocol):
    async def send(self, *, phone: str, text: str, reference: str) -> None:
        """Send or raise DeliveryFailed; `reference` identifies the notice to the provider."""


def masked(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


class LoggingSmsAdapter:
    """The embedded default: the message goes to the log, not to a phone."""

    async def send(self, *, phone: str, text: str, reference: str) -> None:
        log.info("sms %s to %s (logged, not sent): %s", reference, masked(phone), text)


_sms_adapter: SmsAdapter = LoggingSmsAdapter()


def set_sms_adapter(adapter: SmsAdapter) -> None:
    """Install a provider's adapter (at start-up)."""
    global _sms_adapter
    _sms_adapter = adapter


async def send_sms(out: Outgoing) -> None:
    if not out.recipient_phone:
        raise DeliveryFailed(NO_PHONE, permanent=True)
    await _sms_adapter.send(phone=out.recipient_phone, text=out.wording.body, reference=out.reference)


# ---- letters -----------------------------------------------------------------------------

def letter_html(out: Outgoing) -> str:
    with i18n.using_locale(out.locale):
        return environment().get_template("notifications/letter.html").render(
            out=out, paragraphs=[p.strip() for p in out.wording.body.split("\n\n") if p.strip()]
        )


def _write_pdf(html: str) -> bytes:
    try:
        return pdf.write_pdf(html)
    except pdf.PdfUnavailable:
        raise DeliveryFailed(NO_PDF) from None


async def render_letter(out: Outgoing) -> bytes:
    """The letter as PDF bytes, for post or fax (CJK glyphs from the Noto CJK fonts)."""
    return await asyncio.to_thread(_write_pdf, letter_html(out))
