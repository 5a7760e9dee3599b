"""An SMTP listener on loopback (aiosmtpd) and settings pointed at it; reading notices back."""

from __future__ import annotations

import dataclasses
import email
import socket
from email.message import Message
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

import kefu.settings
from kefu.db import transaction
from kefu.notifications.channels import Outgoing, Receipt
from kefu.notifications.tables import Notice
from kefu.settings import get_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """Collects every message the listener accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 — aiosmtpd's hook name
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def of(self, tenant_id: int) -> list[Message]:
        """The messages of one tenant's notices (their Message-ID names "notice-<tenant>-<id>"):
        a sweep, or the in-process worker finishing an earlier test's job, may deliver other
        tenants' notices to the listener the settings point at while a test runs."""
        return [m for m in self.messages if f".notice-{tenant_id}-" in str(m["Message-ID"])]


class SmtpListener:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def use_smtp(monkeypatch, host: str | None, port: int = 25) -> None:
    """Point the process's settings at an SMTP server (or at none)."""
    monkeypatch.setattr(kefu.settings, "_settings", dataclasses.replace(get_settings(), smtp_host=host, smtp_port=port))


async def notice_row(tenant, notice_id: int) -> Notice:
    async with transaction(tenant.id, write=False):
        return await Notice.objects().where(Notice.tenant == tenant.id, Notice.id == notice_id).first()


class AcceptingSms:
    """A fake SMS provider that accepts everything (installed with the accepting_sms fixture)."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    async def send(self, out: Outgoing) -> Receipt:
        self.sent.append(out)
        return Receipt("fake", f"biz-{len(self.sent)}")
