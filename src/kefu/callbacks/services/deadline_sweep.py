"""The deadline watch of callback tasks, enqueued every minute (jobs.sweep_callback_deadlines),
as complaints' deadlines are watched: every open task (a new policy's cooling-off callback, a
campaign's, a complaint follow-up) nearing its due day is reminded to its owner (or, while
nobody owns it, the holders of its position), and later escalated to them and the campaign's
manager (or the pack's escalation positions). When, by the pack (policy.policies.watch_stage).

Each stage is claimed per task by a conditional UPDATE (…_at IS NULL) in the transaction that
owes its notices, so it is owed once however many sweeps run. A person gets one notice per stage
and sweep listing their tasks (a campaign of thousands due on one day is one notice each)."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import Any

from kefu.accounts.queries import active_users
from kefu.callbacks.policy import policies as rules
from kefu.callbacks.policy.pack import CallbackPack, callbacks_for
from kefu.callbacks.tables import CallbackCampaign, CallbackTask
from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow, UserRow
from kefu.db import transaction
from kefu.notifications import services as notices
from kefu.tenancy.queries import active_tenants, members_holding

log = logging.getLogger("kefu.callbacks")
KIND = "callback_deadline"
CHUNK = 1000
LISTED = 10  # tasks a notice names; it counts them all


async def _due(tenant: TenantRow, pack: CallbackPack, today: date) -> dict[str, list[int]]:
    """Open tasks owed a stage today: {stage: [task ids]}."""
    async with transaction(tenant.id, write=False):
        rows = await scoped(CallbackTask, tenant.id, CallbackTask.id, CallbackTask.due_on, CallbackTask.reminded_at,
                            CallbackTask.escalated_at).where(
            CallbackTask.status == "open", CallbackTask.escalated_at.is_null(),
            CallbackTask.due_on <= rules.horizon(today, pack), CallbackTask.opens_on <= today)
    owed: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        stage = rules.watch_stage(row["due_on"], today, pack, reminded=row["reminded_at"] is not None,
                                  escalated=row["escalated_at"] is not None)
        if stage:
            owed[stage].append(row["id"])
    return owed


async def _claim(tenant_id: int, ids: list[int], stage: str) -> list[dict[str, Any]]:
    column = CallbackTask.escalated_at if stage == rules.ESCALATE else CallbackTask.reminded_at
    return list(await CallbackTask.update({column: clock.now()}).where(
        CallbackTask.tenant == tenant_id, CallbackTask.id.is_in(ids), CallbackTask.status == "open",
        CallbackTask.escalated_at.is_null(), column.is_null()).returning(
        CallbackTask.id, CallbackTask.owner, CallbackTask.position, CallbackTask.campaign, CallbackTask.due_on,
        CallbackTask.customer_name, CallbackTask.reference))


class _People:
    """Who hears of a task, looked up once per sweep."""

    def __init__(self, tenant: TenantRow, pack: CallbackPack) -> None:
        self.tenant, self.pack, self.team = tenant, pack, get_pack(tenant.kind)
        self.users: dict[int, UserRow | None] = {}
        self.holders: dict[tuple[str, ...], list[UserRow]] = {}
        self.managers: dict[int, int | None] = {}

    async def user(self, user_id: int | None) -> list[UserRow]:
        if user_id is None:
            return []
        if user_id not in self.users:
            found = await active_users([user_id])
            self.users[user_id] = found[0] if found else None
        person = self.users[user_id]
        return [person] if person is not None else []

    async def holding(self, positions: tuple[str, ...]) -> list[UserRow]:
        if positions not in self.holders:
            self.holders[positions] = list(await members_holding(self.tenant.id, self.team, positions=positions))
        return self.holders[positions]

    async def manager(self, campaign_id: int | None) -> int | None:
        if campaign_id is None:
            return None
        if campaign_id not in self.managers:
            rows = await scoped(CallbackCampaign, self.tenant.id, CallbackCampaign.manager.as_alias("manager")).where(
                CallbackCampaign.id == campaign_id)
            self.managers[campaign_id] = rows[0]["manager"] if rows else None
        return self.managers[campaign_id]

    async def of(self, task: dict[str, Any], stage: str) -> list[UserRow]:
        people = await self.user(task["owner_id"]) or await self.holding((task["position"],))
        if stage == rules.ESCALATE:
            above = await self.user(await self.manager(task["campaign_id"])) or await self.holding(
                self.pack.escalate_positions)
            people = people + above
        return list({p.id: p for p in people}.values())


async def watch_tasks(tenant: TenantRow, today: date) -> list[int]:
    """Owe today's reminder and escalation notices of the tenant's callback tasks; the ids."""
    pack = callbacks_for(tenant.kind)
    owed = await _due(tenant, pack, today)
    people = _People(tenant, pack)
    ids: list[int] = []
    for stage in (rules.ESCALATE, rules.REMIND):
        todo = owed.get(stage, [])
        for start in range(0, len(todo), CHUNK):
            async with transaction(tenant.id):
                claimed = await _claim(tenant.id, todo[start:start + CHUNK], stage)
                by_person: dict[int, tuple[UserRow, list[dict[str, Any]]]] = {}
                for task in claimed:
                    for person in await people.of(task, stage):
                        by_person.setdefault(person.id, (person, []))[1].append(task)
                for person, tasks in by_person.values():
                    tasks.sort(key=lambda t: (t["due_on"], t["id"]))
                    notice_id = await notices.owe_notice(
                        tenant_id=tenant.id, kind=KIND, subject_type="callback_task", subject_id=tasks[0]["id"],
                        recipient=notices.Recipient(name=person.name, email=person.email, locale=person.locale),
                        channel="email", due_on=None,
                        data={"stage": stage, "count": len(tasks), "due_on": tasks[0]["due_on"].isoformat(),
                              "tasks": [{"customer": t["customer_name"], "reference": t["reference"],
                                         "due_on": t["due_on"].isoformat()} for t in tasks[:LISTED]]},
                        unique_key=f"callback_task:{stage}:{min(t['id'] for t in tasks)}:{person.id}")
                    if notice_id is not None:
                        ids.append(notice_id)
    return ids


async def sweep_deadlines() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    for tenant in await active_tenants():
        try:
            ids = await watch_tasks(tenant, clock.today_in(tenant.timezone))
            await notices.nudge(tenant.id, ids)
        except Exception:
            log.exception("callback deadline sweep failed for tenant %s", tenant.id)
