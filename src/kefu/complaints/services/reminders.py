"""The reminder sweep: before each deadline and on the day the handler is reminded; once it
is overdue the supervisors (members holding complaints.review) are told as well.

Per tenant, one indexed range query finds the complaints due for a reminder
(`tenant_id = ? AND next_remind_on <= today`, a partial index). Each reminder is claimed by an
INSERT that conflicts on (complaint, kind, due date, stage), in the same transaction as the
notices it owes: a sweep run twice, or two sweeps at once, or a worker dying half-way,
still sends each reminder once.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from kefu.accounts.queries import active_user
from kefu.complaints.policy import next_remind_after, reminder_stage
from kefu.complaints.services import outbox
from kefu.complaints.services._base import members_with
from kefu.complaints.tables import Complaint, ComplaintReminder
from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow, UserRow
from kefu.db import transaction
from kefu.tenancy.queries import active_tenants

log = logging.getLogger("kefu.complaints")
BATCH = 500
MAX_BATCHES = 200  # a tick handles at most 100,000 reminders per tenant; the next tick goes on

_COLUMNS = (
    Complaint.id, Complaint.number, Complaint.subject, Complaint.status, Complaint.next_due,
    Complaint.next_due_kind, Complaint.next_remind_on, Complaint.handler.as_alias("handler"),
    Complaint.registered_by.as_alias("registered_by"),
)


async def _claim(tenant_id: int, row: dict[str, Any], stage: str) -> bool:
    claimed = await ComplaintReminder.insert(
        ComplaintReminder(
            tenant=tenant_id, complaint=row["id"], kind=row["next_due_kind"],
            due_on=row["next_due"], stage=stage, sent_at=clock.now(),
        )
    ).on_conflict(
        target=(
            ComplaintReminder.tenant, ComplaintReminder.complaint, ComplaintReminder.kind,
            ComplaintReminder.due_on, ComplaintReminder.stage,
        ),
        action="DO NOTHING",
    ).returning(ComplaintReminder.id)
    return bool(claimed)


class _People:
    """The users a tenant's reminders go to, read once per batch."""

    def __init__(self, tenant: TenantRow) -> None:
        self.tenant = tenant
        self.users: dict[int, UserRow | None] = {}
        self.supervisors: list[UserRow] | None = None

    async def user(self, user_id: int | None) -> UserRow | None:
        if user_id is None:
            return None
        if user_id not in self.users:
            self.users[user_id] = await active_user(user_id)
        return self.users[user_id]

    async def supervisor_list(self) -> list[UserRow]:
        if self.supervisors is None:
            pack = get_pack(self.tenant.kind)
            self.supervisors = await members_with(self.tenant.id, pack, "complaints.review")
        return self.supervisors

    async def for_reminder(self, row: dict[str, Any], stage: str) -> list[UserRow]:
        owner = await self.user(row["handler"]) or await self.user(row["registered_by"])
        people = [owner] if owner else []
        if stage == "overdue" or not people:  # escalate, or nobody owns it yet
            known = {u.id for u in people}
            people += [u for u in await self.supervisor_list() if u.id not in known]
        return people


async def _remind(tenant: TenantRow, people: _People, row: dict[str, Any], today: date) -> list[int]:
    due: date = row["next_due"]
    stage = reminder_stage(today, due)
    claimed = await _claim(tenant.id, row, stage)
    # Move on to the next stage even when another sweep claimed this one already.
    await Complaint.update({Complaint.next_remind_on: next_remind_after(stage, due)}).where(
        Complaint.tenant == tenant.id, Complaint.id == row["id"],
        Complaint.next_remind_on == row["next_remind_on"],
    )
    if not claimed:
        return []
    data = {
        "complaint_number": row["number"], "subject": row["subject"], "status": row["status"],
        "deadline": row["next_due_kind"], "due_on": due.isoformat(), "stage": stage,
    }
    ids = []
    for user in await people.for_reminder(row, stage):
        key = f"reminder:{row['next_due_kind']}:{due.isoformat()}:{stage}:{user.id}"
        notice_id = await outbox.owe(
            tenant.id, row["id"], kind="deadline_reminder", key=key, data=data, due_on=None,
            recipient=outbox.staff_recipient(user), channel="email",
        )
        if notice_id is not None:
            ids.append(notice_id)
    return ids


async def _batch(tenant: TenantRow, today: date) -> tuple[int, list[int]]:
    people = _People(tenant)
    notice_ids: list[int] = []
    async with transaction(tenant.id):
        rows = await scoped(Complaint, tenant.id, *_COLUMNS).where(
            Complaint.next_remind_on <= today
        ).order_by(Complaint.next_remind_on).limit(BATCH)
        for row in rows:
            notice_ids += await _remind(tenant, people, row, today)
    await outbox.nudge(tenant.id, notice_ids)
    return len(rows), notice_ids


async def remind_tenant(tenant: TenantRow) -> int:
    """Send one tenant's due reminders; returns how many complaints were looked at."""
    today = clock.today_in(tenant.timezone)
    seen = 0
    for _ in range(MAX_BATCHES):
        count, _ids = await _batch(tenant, today)
        seen += count
        if count < BATCH:
            break
    return seen


async def sweep_reminders() -> int:
    """Every active tenant in turn; one tenant's failure (say, a broken policy) is logged and
    does not hold up the others. Returns how many complaints were looked at."""
    tenants = await active_tenants()
    seen = 0
    for tenant in tenants:
        try:
            seen += await remind_tenant(tenant)
        except Exception:
            log.exception("complaint reminders failed for tenant %s", tenant.id)
    return seen
