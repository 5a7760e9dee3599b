"""The channels: email over SMTP, letters as PDF (SMS in `sms`), and what they share.

A channel returns a Receipt only when a provider accepted the message. Otherwise it raises
DeliveryFailed with a reason staff can read: `permanent` failures (no address, a refused
recipient) go straight to "dead"; NotConfigured leaves the notice waiting until the channel
is configured; anything else is retried with backoff.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from kefu import i18n
from kefu.core import clock, pdf
from kefu.core.web import environment
from kefu.notifications.templating import Wording
from kefu.settings import Settings, get_settings

log = logging.getLogger("kefu.notifications")
SMTP_TIMEOUT = 30

# Reasons stored in Notice.last_error as msgids, so the outbox page shows them translated.
NOT_CONFIGURED = i18n.lazy("Email is not configured (KEFU_SMTP_HOST is not set).")
SMS_NOT_CONFIGURED = i18n.lazy("SMS is not configured: set up an SMS provider in the notice settings.")
NO_EMAIL = i18n.lazy("The recipient has no email address.")
NO_PHONE = i18n.lazy("The recipient has no mobile phone number.")
NO_PDF = i18n.lazy("Letters cannot be made: the PDF renderer (WeasyPrint) is not available.")


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class NotConfigured(DeliveryFailed):
    """The channel has no working provider: the notice waits, without using up its attempts."""


@dataclass(frozen=True)
class Receipt:
    """A provider accepted the message: who (smtp, aliyun, mailbox) and its id for it."""

    provider: str
    reference: str = ""


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
    params: dict[str, str] = field(default_factory=dict)  # the notice's variables, for SMS templates

    @property
    def reference(self) -> str:
        return f"notice-{self.tenant_id}-{self.notice_id}"


def masked(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


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


def uses_local_mailbox(settings: Settings) -> bool:
    """The embedded default: no SMTP in development, so mail goes to var/mail/ (never in test
    or production unless configured there)."""
    return not settings.smtp_host and settings.env == "development"


def mailbox_dir(settings: Settings) -> Path:
    return settings.var_dir / "mail"


def email_configured() -> bool:
    settings = get_settings()
    return bool(settings.smtp_host) or uses_local_mailbox(settings)


def _write_eml(folder: Path, name: str, message: EmailMessage) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(bytes(message))


async def _to_mailbox(out: Outgoing, settings: Settings) -> Receipt:
    """One .eml per message under var/mail/, accepted by that local provider (labelled so)."""
    message = build_email(out, settings)
    name = f"{clock.now():%Y%m%dT%H%M%S}-{out.reference}.eml"
    await asyncio.to_thread(_write_eml, mailbox_dir(settings), name, message)
    log.info("%s: written to the local mailbox var/mail/%s (development, no SMTP)", out.reference, name)
    return Receipt("mailbox", name)


async def send_email(out: Outgoing) -> Receipt:
    settings = get_settings()
    if not out.recipient_email:
        raise DeliveryFailed(NO_EMAIL, permanent=True)
    if uses_local_mailbox(settings):
        return await _to_mailbox(out, settings)
    if not settings.smtp_host:
        log.warning("%s: email is not configured (KEFU_SMTP_HOST); not sent", out.reference)
        raise NotConfigured(NOT_CONFIGURED)
    message = build_email(out, settings)
    try:
        await asyncio.to_thread(_smtp_send, settings, message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryFailed(f"SMTP refused the recipient: {exc.recipients}", permanent=all(c >= 500 for c in codes)) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from None
    return Receipt("smtp", str(message["Message-ID"])[:100])


# ---- letters -----------------------------------------------------------------------------

def letter_html(out: Outgoing) -> str:
    with i18n.using_locale(out.locale):
        return environment().get_template("notifications/letter.html").render(
            out=out, paragraphs=[p.strip() for p in out.wording.body.split("\n\n") if p.strip()]
        )


async def render_letter(out: Outgoing) -> bytes:
    """The letter as PDF bytes, for post or fax (CJK glyphs from the project's font), within
    pdf.in_print_thread's limits: a letter is one page or two."""
    try:
        return await pdf.in_print_thread(pdf.write_pdf, letter_html(out))
    except pdf.PdfTooSlow as exc:
        raise DeliveryFailed(exc.translated()) from None
    except pdf.PdfUnavailable:
        raise DeliveryFailed(NO_PDF) from None
