"""Duties' own rows on the performance scorecard (registry): the share of a person's duty tasks
due in the period done by their due date, and how many of the courses their positions require
they hold valid at the period's end (A art. 8, 27); and duty tasks and meetings as records a
commendation or criticism may cite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kefu.core import clock
from kefu.core.scoping import MAX_ID, scoped
from kefu.db import transaction
from kefu.duties.policy import training as rules
from kefu.duties.queries.config import pack_of
from kefu.duties.queries.holders import holders_on
from kefu.duties.registry import Figure, citable, scorecard_metric
from kefu.duties.tables import DutyTask, Meeting, TrainingRecord
from kefu.tenancy.queries import get_tenant


@scorecard_metric("duties.on_time", "岗位职责按时完成率", "Duties done on time", unit="percent", order=10)
async def duties_on_time(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    """A task counts once its due date has passed or it is done; on time: done by its due date."""
    tenant = await get_tenant(tenant_id)
    if tenant is None or not user_ids:
        return {}
    today = clock.today_in(tenant.timezone)
    async with transaction(tenant_id, write=False):
        rows = await scoped(DutyTask, tenant_id, DutyTask.assignee.as_alias("user"), DutyTask.status,
                            DutyTask.due_on, DutyTask.done_on).where(
            DutyTask.assignee.is_in(list(user_ids)), DutyTask.due_on >= start, DutyTask.due_on <= end)
    counts: dict[int, list[int]] = {}
    for row in rows:
        if row["status"] != "done" and row["due_on"] >= today:
            continue
        cell = counts.setdefault(row["user"], [0, 0])
        cell[1] += 1
        if row["status"] == "done" and row["done_on"] is not None and row["done_on"] <= row["due_on"]:
            cell[0] += 1
    return {uid: Figure.rate(done, due) for uid, (done, due) in counts.items()}


@scorecard_metric("duties.training", "岗前培训合格课程占比", "Required training held", unit="percent", order=20)
async def training_held(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    """Of the courses the person's positions require on the period's end (or today, if sooner),
    how many they hold a valid certificate of on that day."""
    tenant = await get_tenant(tenant_id)
    if tenant is None or not user_ids:
        return {}
    pack = await pack_of(tenant_id, tenant.kind)
    day = min(end, clock.today_in(tenant.timezone))
    held = await holders_on(tenant_id, pack, day)
    async with transaction(tenant_id, write=False):
        rows = await scoped(TrainingRecord, tenant_id, TrainingRecord.user.as_alias("user"), TrainingRecord.course,
                            TrainingRecord.result, TrainingRecord.session_on, TrainingRecord.expires_on).where(
            TrainingRecord.user.is_in(list(user_ids)))
    certs: dict[int, list[rules.Certificate]] = {}
    for r in rows:
        certs.setdefault(r["user"], []).append(rules.Certificate(r["course"], r["result"], r["session_on"], r["expires_on"]))
    found = {}
    for uid in user_ids:
        required = pack.training_of(held.positions_of(uid))
        if required:
            missing = rules.missing(required, certs.get(uid, []), day)
            found[uid] = Figure.rate(len(required) - len(missing), len(required))
    return found


@citable("duty_task", "岗位职责任务", "Duty task")
async def duty_task(tenant_id: int, task_id: int) -> str | None:
    if not 1 <= task_id <= MAX_ID:
        return None
    async with transaction(tenant_id, write=False):
        row = await scoped(DutyTask, tenant_id, DutyTask.duty_code, DutyTask.period_key).where(DutyTask.id == task_id).first()
    return f"{row['duty_code']} · {row['period_key']}" if row else None


@citable("meeting", "会议", "Meeting")
async def meeting(tenant_id: int, meeting_id: int) -> str | None:
    if not 1 <= meeting_id <= MAX_ID:
        return None
    async with transaction(tenant_id, write=False):
        row = await scoped(Meeting, tenant_id, Meeting.title, Meeting.held_on).where(Meeting.id == meeting_id).first()
    return f"{row['held_on'].isoformat()} {row['title']}" if row else None
