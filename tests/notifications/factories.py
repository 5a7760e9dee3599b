"""Notices and templates for tests — and for the isolation sweep (tests/isolation/), which builds
one object per id path parameter with `ID_FACTORIES[name](tenant, marker=…)`."""

from __future__ import annotations

import uuid
from datetime import date

from kefu.db import transaction
from kefu.notifications import delivery, services
from kefu.notifications.services import Recipient
from kefu.notifications.shipped import default_kinds
from kefu.notifications.tables import NoticeTemplate


def key(prefix: str = "test") -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


async def owe(
    tenant, *, channel: str = "email", kind: str = "acceptance_notice", data: dict | None = None,
    recipient: Recipient | None = None, due_on: date | None = None, subject_id: int = 1,
    unique_key: str | None = None,
) -> int:
    """A notice owed in `tenant`, written the way a module writes it: inside a transaction.
    The default data covers every variable of the default templates."""
    recipient = recipient or Recipient(
        name="张三", email="zhangsan@example.test", phone="13800138000",
        postal_address="上海市浦东新区世纪大道100号", locale="zh_CN",
    )
    sample = {k: v for d in default_kinds().values() for k, v in d.sample.items()}
    sample |= {"complaint_number": "TS-20261201-0007", "received_on": "2026-12-01", "decision_due": "2026-12-22"}
    async with transaction(tenant.id):
        notice_id = await services.owe_notice(
            tenant_id=tenant.id, kind=kind, subject_type="complaint", subject_id=subject_id,
            recipient=recipient, channel=channel, data=sample if data is None else data,
            due_on=due_on, unique_key=unique_key or key(),
        )
    assert notice_id is not None
    return notice_id


async def notice_id(tenant, marker: str = "") -> int:
    """A letter of `tenant` already made into its PDF (state "ready"), so every notice route —
    the PDF download included — has something to show; `marker` is the recipient's name."""
    recipient = Recipient(name=marker or "张三", postal_address="上海市浦东新区世纪大道100号", locale="zh_CN")
    notice = await owe(tenant, channel="letter", recipient=recipient)
    assert await delivery.deliver(tenant.id, notice) == "ready"
    return notice


async def letter_id(tenant) -> int:
    """A letter of `tenant` already made into a PDF (state "ready")."""
    return await notice_id(tenant)


async def template_id(tenant, marker: str = "") -> int:
    """A customised template of `tenant`; `marker` is its subject and text."""
    row = NoticeTemplate(
        tenant=tenant.id, kind=f"custom_{uuid.uuid4().hex[:8]}", locale="zh_CN", channel="email",
        subject=marker or "{{ tenant_name }}", body=marker or "{{ recipient_name }}",
    )
    async with transaction(tenant.id):
        await row.save()
    return row.id


ID_FACTORIES = {"notice_id": notice_id, "template_id": template_id}
