"""Overdue improvement actions remind their owners (B.l: followed to closure): an open action
past its due day owes its owner (a member of the tenant, active) an email through the outbox on
the first day overdue and once a week after (policy.actions.overdue_reminder_week; the notice's
unique key names the week, so a sweep run twice sends it once). An owner outside kefu (a
contractor's name only) has no address: the action stays on the overdue list.

Checked once a day per tenant and process from the survey sweep, so the minute's tick stays one
read when nothing is due.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.notifications.services import Recipient, nudge, owe_notice
from kefu.surveys.policy import actions as policy
from kefu.surveys.tables import ImprovementAction
from kefu.tenancy.queries import active_members

KIND = "survey_action_overdue"
_checked: dict[int, date] = {}


async def _overdue(tenant_id: int, today: date) -> list[dict[str, Any]]:
    a = ImprovementAction
    return await scoped(
        a, tenant_id, a.id, a.title, a.due_on, a.status, a.owner.id.as_alias("owner_id"),
        a.owner.name.as_alias("owner_name"), a.owner.email.as_alias("owner_email"),
        a.owner.locale.as_alias("owner_locale"),
    ).where(a.status == policy.OPEN, a.due_on < today, a.owner.is_not_null()).order_by(a.id)


async def remind_overdue_actions(tenant: TenantRow, *, force: bool = False) -> list[int]:
    """Owe the overdue reminders not owed yet; the ids of the notices written."""
    today = clock.today_in(tenant.timezone)
    if not force and _checked.get(tenant.id) == today:
        return []
    ids: list[int] = []
    async with transaction(tenant.id):
        rows = await _overdue(tenant.id, today)
        members = {m["id"] for m in await active_members(tenant.id)} if rows else set()
        for row in rows:
            week = policy.overdue_reminder_week(row["status"], row["due_on"], today)
            if week is None or row["owner_id"] not in members or not row["owner_email"]:
                continue
            locale = row["owner_locale"] if row["owner_locale"] in ("zh_CN", "en") else "zh_CN"
            found = await owe_notice(
                tenant_id=tenant.id, kind=KIND, subject_type="improvement_action", subject_id=row["id"],
                recipient=Recipient(name=row["owner_name"], email=row["owner_email"], locale=locale),
                channel="email", due_on=None, unique_key=f"{KIND}:{row['id']}:{week}",
                data={"title": row["title"], "due_on": row["due_on"].isoformat(),
                      "days_overdue": (today - row["due_on"]).days},
            )
            ids += [found] if found is not None else []
    _checked[tenant.id] = today
    await nudge(tenant.id, ids)
    return ids
