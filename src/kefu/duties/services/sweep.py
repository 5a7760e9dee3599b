"""The duty sweep, enqueued every minute (jobs.sweep_duties). Per active tenant, each step in
its own transaction and each idempotent (first of all, the permissions of assignments that
start or end today are applied: services.grants):

1. each recurring duty of a held position gets its task for the current period: the unique
   (tenant_id, position, duty_code, period_key) index makes a second insert do nothing, however
   many sweeps run at once;
2. open tasks whose evidence is a module record close themselves once the record exists, as
   the module that makes it finds it (kefu.duties.registry.duty_record; C.d: a closed survey
   round of the half-year with a valid response; B.j: the minutes of that week's department
   meeting; A art. 20: the period's complaint analysis report; C.i: the month's occupancy
   statistics);
3. the holder is reminded before the due date, and once overdue the holder and the position
   they report to are told: each claimed by a conditional UPDATE, so each is sent once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.duties.policy import periods
from kefu.duties.policy.pack import DutyPack
from kefu.duties.queries.config import pack_of
from kefu.duties.queries.holders import Holders, Person, holders_on
from kefu.duties.registry import Span, duty_records
from kefu.duties.services.grants import refresh_grants
from kefu.duties.tables import DutyTask
from kefu.notifications import services as notices
from kefu.tenancy.queries import active_tenants

log = logging.getLogger("kefu.duties")


@dataclass
class SweepResult:
    created: int = 0
    closed: int = 0
    notices: int = 0


async def create_due_tasks(tenant: TenantRow, pack: DutyPack, held: Holders, today: date) -> int:
    """Step 1: the current period's task of every recurring duty whose position someone holds
    (a vacant position makes none). Returns how many rows this call inserted."""
    wanted = []
    for duty_set, duty in pack.recurring():
        holder = held.holder(duty_set.position)
        if holder is not None:
            wanted.append((duty_set.position, duty, periods.period_of(duty.recurrence, today), holder))
    if not wanted:
        return 0
    created = 0
    async with transaction(tenant.id):
        existing = {(r["position"], r["duty_code"], r["period_key"]) for r in await scoped(
            DutyTask, tenant.id, DutyTask.position, DutyTask.duty_code, DutyTask.period_key,
        ).where(DutyTask.period_key.is_in(sorted({p.key for _, _, p, _ in wanted})))}
        for position, duty, period, holder in wanted:
            if (position, duty.code, period.key) in existing:
                continue
            inserted = await DutyTask.insert(DutyTask(
                tenant=tenant.id, position=position, duty_code=duty.code, recurrence=duty.recurrence,
                period_key=period.key, period_start=period.start, due_on=period.due_on,
                assignee=holder.id, evidence_kind=duty.evidence, created_at=clock.now(),
            )).on_conflict(
                target=(DutyTask.tenant, DutyTask.position, DutyTask.duty_code, DutyTask.period_key),
                action="DO NOTHING",
            ).returning(DutyTask.id)
            created += len(inserted)
    return created


async def _record_for(tenant: TenantRow, record: str, row: dict[str, Any]) -> str:
    """The reference of the module record that shows the task done, or "" if none yet: the
    module's finder registered for `record` (kefu.duties.registry.duty_record) is asked about
    the task's period."""
    finder = duty_records().get(record)
    if finder is None:
        return ""
    period = periods.period_of(row["recurrence"], row["period_start"])
    span = Span(row["recurrence"], period.key, period.start, period.end, tenant.timezone)
    return await finder(tenant.id, span) or ""


async def _open_record_tasks(tenant: TenantRow, pack: DutyPack) -> list[dict[str, Any]]:
    """Open tasks whose evidence is a module record. A task made before its duty's evidence
    became a record (the pack or the tenant's configuration changed since) is one too."""
    by_record = sorted({d.code for s in pack.sets.values() for d in s.duties if d.evidence == "record"})
    wanted: Any = DutyTask.evidence_kind == "record"
    if by_record:
        wanted = wanted | DutyTask.duty_code.is_in(by_record)
    async with transaction(tenant.id, write=False):
        return await scoped(DutyTask, tenant.id, DutyTask.id, DutyTask.duty_code, DutyTask.recurrence,
                            DutyTask.period_start).where(DutyTask.status == "open", wanted)


async def close_from_records(tenant: TenantRow, pack: DutyPack, today: date) -> int:
    """Step 2: open record-evidence tasks whose record now exists close themselves."""
    rows = await _open_record_tasks(tenant, pack)
    closed = 0
    # Tasks of one duty and period (a duty two positions hold, a period left open) ask once.
    asked: dict[tuple[str, str, date], str] = {}
    for row in rows:
        found = pack.duty(row["duty_code"])
        if not found:
            continue
        key = (found[1].record, row["recurrence"], row["period_start"])
        if key not in asked:
            asked[key] = await _record_for(tenant, found[1].record, row)
        ref = asked[key]
        if not ref:
            continue
        async with transaction(tenant.id):
            done = await DutyTask.update({
                DutyTask.status: "done", DutyTask.evidence_kind: "record", DutyTask.evidence_ref: ref,
                DutyTask.done_on: today, DutyTask.done_at: clock.now(),
            }).where(DutyTask.tenant == tenant.id, DutyTask.id == row["id"], DutyTask.status == "open").returning(DutyTask.id)
            if done:
                closed += 1
                await audit.record(tenant_id=tenant.id, actor_id=None, action="duty_task.closed_by_record",
                                   object_type="duty_task", object_id=row["id"], after={"evidence": ref})
    return closed


def _notice_data(pack: DutyPack, row: dict[str, Any], stage: str, holder: str) -> dict[str, Any]:
    found = pack.duty(row["duty_code"])
    return {"duty": found[1].text if found else row["duty_code"], "period": row["period_key"],
            "due_on": row["due_on"].isoformat(), "stage": stage, "holder": holder}


async def _owe(tenant: TenantRow, row: dict[str, Any], stage: str, people: list[Person], data: dict[str, Any]) -> list[int]:
    ids = []
    for person in people:
        notice_id = await notices.owe_notice(
            tenant_id=tenant.id, kind="duty_reminder", subject_type="duty_task", subject_id=row["id"],
            recipient=notices.Recipient(name=person.name, email=person.email, locale=person.locale),
            channel="email", data=data, due_on=None, unique_key=f"duty_task:{row['id']}:{stage}:{person.id}",
        )
        if notice_id is not None:
            ids.append(notice_id)
    return ids


async def _claim(tenant_id: int, task_id: int, column: Any) -> bool:
    return bool(await DutyTask.update({column: clock.now()}).where(
        DutyTask.tenant == tenant_id, DutyTask.id == task_id, DutyTask.status == "open", column.is_null(),
    ).returning(DutyTask.id))


async def remind_due(tenant: TenantRow, pack: DutyPack, held: Holders, today: date) -> list[int]:
    """Step 3: the reminder before the due date, the escalation once overdue; each once."""
    async with transaction(tenant.id, write=False):
        rows = await scoped(DutyTask, tenant.id, DutyTask.id, DutyTask.position, DutyTask.duty_code,
                            DutyTask.recurrence, DutyTask.period_key, DutyTask.period_start, DutyTask.due_on,
                            DutyTask.assignee.as_alias("assignee"), DutyTask.reminded_at, DutyTask.escalated_at,
                            ).where(DutyTask.status == "open", DutyTask.escalated_at.is_null())
    ids: list[int] = []
    for row in rows:
        period = periods.period_of(row["recurrence"], row["period_start"])
        overdue = periods.is_overdue(period, today)
        if not overdue and (row["reminded_at"] is not None or today < periods.remind_on(period)):
            continue
        holder = held.people.get(row["assignee"]) or held.holder(row["position"])
        people = [holder] if holder else []
        if overdue:
            duty_set = pack.sets.get(row["position"])
            above = held.of(duty_set.reports_to) if duty_set and duty_set.reports_to else []
            people += [p for p in above if p not in people]
        stage = "overdue" if overdue else "before"
        async with transaction(tenant.id):
            if await _claim(tenant.id, row["id"], DutyTask.escalated_at if overdue else DutyTask.reminded_at):
                ids += await _owe(tenant, row, stage, people, _notice_data(pack, row, stage, holder.name if holder else "—"))
    return ids


async def sweep_tenant(tenant: TenantRow) -> SweepResult:
    today = clock.today_in(tenant.timezone)
    pack = await pack_of(tenant.id, tenant.kind)
    await refresh_grants(tenant.id, today)
    held = await holders_on(tenant.id, pack, today)
    result = SweepResult()
    result.created = await create_due_tasks(tenant, pack, held, today)
    result.closed = await close_from_records(tenant, pack, today)
    ids = await remind_due(tenant, pack, held, today)
    result.notices = len(ids)
    await notices.nudge(tenant.id, ids)
    return result


async def sweep_all() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    for tenant in await active_tenants():
        try:
            await sweep_tenant(tenant)
        except Exception:
            log.exception("duty sweep failed for tenant %s", tenant.id)
