"""Reminders and escalation of open problems (A art. 26: followed to closure), enqueued every
minute (jobs.sweep_callback_problems), as the duty sweep does: the assignee (or, for a
department, its people) is reminded before the due date; once overdue they and the pack's
escalation positions are told. Each stage is claimed by a conditional UPDATE, so each is owed
once however many sweeps run."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from kefu.accounts.queries import active_users
from kefu.callbacks.policy import quality as rules
from kefu.callbacks.tables import CallbackProblem
from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow, UserRow
from kefu.db import transaction
from kefu.notifications import services as notices
from kefu.tenancy.queries import active_tenants, members_holding

log = logging.getLogger("kefu.callbacks")


async def _claim(tenant_id: int, problem_id: int, column: Any) -> bool:
    return bool(await CallbackProblem.update({column: clock.now()}).where(
        CallbackProblem.tenant == tenant_id, CallbackProblem.id == problem_id,
        CallbackProblem.status == "open", column.is_null(),
    ).returning(CallbackProblem.id))


async def _people(tenant: TenantRow, row: dict[str, Any], stage: str) -> list[UserRow]:
    pack, quality = get_pack(tenant.kind), rules.quality_for(tenant.kind)
    if row["assignee"] is not None:
        people: list[UserRow] = list(await active_users([row["assignee"]]))
    else:
        people = list(await members_holding(tenant.id, pack, positions=[row["position"]]))
    if stage == "overdue":
        above = await members_holding(tenant.id, pack, positions=quality.escalate_positions)
        people += [u for u in above if u.id not in {p.id for p in people}]
    return people


async def remind_problems(tenant: TenantRow, today: date) -> list[int]:
    """Owe the reminder / escalation notices due today; the notice ids."""
    quality = rules.quality_for(tenant.kind)
    async with transaction(tenant.id, write=False):
        rows = await scoped(CallbackProblem, tenant.id, CallbackProblem.id, CallbackProblem.summary,
                            CallbackProblem.due_on, CallbackProblem.position,
                            CallbackProblem.assignee.as_alias("assignee"), CallbackProblem.reminded_at,
                            CallbackProblem.escalated_at).where(
            CallbackProblem.status == "open", CallbackProblem.escalated_at.is_null())
    ids: list[int] = []
    for row in rows:
        stage = rules.reminder_stage(row["due_on"], today, quality, reminded=row["reminded_at"] is not None,
                                     escalated=row["escalated_at"] is not None)
        if not stage:
            continue
        people = await _people(tenant, row, stage)
        column = CallbackProblem.escalated_at if stage == "overdue" else CallbackProblem.reminded_at
        data = {"problem": row["summary"], "due_on": row["due_on"].isoformat(), "stage": stage}
        async with transaction(tenant.id):
            if not await _claim(tenant.id, row["id"], column):
                continue
            for person in people:
                notice_id = await notices.owe_notice(
                    tenant_id=tenant.id, kind="callback_problem_reminder", subject_type="callback_problem",
                    subject_id=row["id"], recipient=notices.Recipient(name=person.name, email=person.email,
                                                                      locale=person.locale),
                    channel="email", data=data, due_on=None,
                    unique_key=f"callback_problem:{row['id']}:{stage}:{row['due_on'].isoformat()}:{person.id}")
                if notice_id is not None:
                    ids.append(notice_id)
    return ids


async def sweep_problems() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    for tenant in await active_tenants():
        try:
            ids = await remind_problems(tenant, clock.today_in(tenant.timezone))
            await notices.nudge(tenant.id, ids)
        except Exception:
            log.exception("callback problem sweep failed for tenant %s", tenant.id)
