"""The notices complaints owe, written through the notification outbox
(kefu.notifications.services) in the caller's transaction; `nudge` after commit.

Who receives what: the complainant by email, else SMS, else a letter by post; staff by email.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.complaints.tables import Complaint
from kefu.core.tenancy import UserRow
from kefu.notifications.services import Recipient, owe_notice
from kefu.notifications.services import nudge as notifications_nudge


def complainant_channel(c: Complaint) -> str:
    if c.complainant_email:
        return "email"
    if c.complainant_phone:
        return "sms"
    return "letter"


def complainant_recipient(c: Complaint) -> Recipient:
    return Recipient(
        name=c.complainant_name,
        email=c.complainant_email,
        phone=c.complainant_phone,
        postal_address=c.complainant_address,
    )


def staff_recipient(user: UserRow) -> Recipient:
    locale = user.locale if user.locale in ("zh_CN", "en") else "zh_CN"
    return Recipient(name=user.name, email=user.email, locale=locale)


def notice_data(c: Complaint, **extra: Any) -> dict[str, Any]:
    """What every complaint notice may render (the default wordings use complaint_number,
    received_on and the kind's own keys); dates as ISO strings."""
    data = {
        "complaint_number": c.number,
        "subject": c.subject,
        "received_on": c.received_on.isoformat(),
        "status": c.status,
        "decision_due": c.decision_due.isoformat() if c.decision_due else None,
        "public_token": c.public_token,
    }
    data.update({k: v.isoformat() if isinstance(v, date) else v for k, v in extra.items()})
    return data


async def owe(
    tenant_id: int,
    complaint_id: int,
    *,
    kind: str,
    key: str,
    data: dict[str, Any],
    due_on: date | None,
    recipient: Recipient,
    channel: str,
) -> int | None:
    """Owe one notice about a complaint, in the caller's transaction.

    `key` becomes the unique key `complaint:{id}:{key}`: owing it twice writes one notice.
    """
    return await owe_notice(
        tenant_id=tenant_id,
        kind=kind,
        subject_type="complaint",
        subject_id=complaint_id,
        recipient=recipient,
        channel=channel,
        data=data,
        due_on=due_on,
        unique_key=f"complaint:{complaint_id}:{key}",
    )


async def nudge(tenant_id: int, notice_ids: list[int]) -> None:
    ids = [i for i in notice_ids if i is not None]
    if ids:
        await notifications_nudge(tenant_id, ids)
