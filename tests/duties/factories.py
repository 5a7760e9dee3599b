"""Duty objects for the tests and the isolation sweep: tasks and assignments written directly,
training recorded as a fixture would.

ID_FACTORIES gives the sweep a done task whose note carries the marker, an assignment whose
note carries it, a meeting whose minutes do and an action item titled with it."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.core import clock
from kefu.db import transaction
from kefu.duties.services import files
from kefu.duties.services.files import Upload
from kefu.duties.tables import DutyTask, PositionAssignment
from tests import factories


async def task(tenant: Any, *, position: str = "agent", duty_code: str = "a22_2", recurrence: str = "monthly",
               period_key: str = "2026-12", start: date = date(2026, 12, 1), due: date = date(2026, 12, 31),
               assignee: int | None = None, status: str = "open", evidence_kind: str = "note",
               note: str = "") -> DutyTask:
    row = DutyTask(tenant=tenant.id, position=position, duty_code=duty_code, recurrence=recurrence,
                   period_key=period_key, period_start=start, due_on=due, assignee=assignee, status=status,
                   evidence_kind=evidence_kind, evidence_note=note, created_at=clock.now(),
                   done_on=due if status == "done" else None)
    async with transaction(tenant.id):
        await row.save()
    return row


async def _task_id(tenant: Any, marker: str) -> int:
    """A done task with an uploaded file (so its evidence downloads) and the marker in its note."""
    row = await task(tenant, status="done", evidence_kind="upload", note=f"记录 {marker}",
                     period_key=factories.unique("p")[:12])
    ref = await files.store(tenant.id, "duty_task", row.id, Upload("统计.txt", "text/plain", marker.encode()))
    async with transaction(tenant.id):
        await DutyTask.update({DutyTask.evidence_ref: ref}).where(DutyTask.id == row.id)
    return row.id


async def _assignment_id(tenant: Any, marker: str) -> int:
    person = await factories.member(tenant, ["agent"], name="Sweep 员工")
    row = PositionAssignment(tenant=tenant.id, user=person.id, position="agent", role="acting",
                             starts_on=date(2026, 1, 1), note=marker[:200])
    async with transaction(tenant.id):
        await row.save()
    return row.id


ID_FACTORIES = {"task_id": _task_id, "assignment_id": _assignment_id}


async def _meeting_id(tenant: Any, marker: str) -> int:
    from kefu.duties.tables import Meeting

    row = Meeting(tenant=tenant.id, kind="department", title=f"例会 {marker}"[:200], held_on=date(2026, 1, 5),
                  minutes=marker)
    async with transaction(tenant.id):
        await row.save()
    return row.id


async def _item_id(tenant: Any, marker: str) -> int:
    from kefu.duties.tables import MeetingAction

    meeting_id = await _meeting_id(tenant, marker)
    row = MeetingAction(tenant=tenant.id, meeting=meeting_id, title=marker[:200], due_on=date(2026, 1, 12))
    async with transaction(tenant.id):
        await row.save()
    return row.id


ID_FACTORIES["meeting_id"] = _meeting_id
ID_FACTORIES["item_id"] = _item_id


async def _person_id(tenant: Any, marker: str) -> int:
    """A member whose name carries the marker, with a commendation citing nothing."""
    from kefu.duties.tables import PerformanceNote

    person = await factories.member(tenant, ["agent"], name=f"员工 {marker}"[:100])
    row = PerformanceNote(tenant=tenant.id, user=person.id, kind="commendation", noted_on=clock.today_in("Asia/Shanghai"),
                          reason=marker)
    async with transaction(tenant.id):
        await row.save()
    return person.id


ID_FACTORIES["person_id"] = _person_id


async def _session_id(tenant: Any, marker: str) -> int:
    """A session of pre-job training given by a trainer named with the marker, one attendee."""
    from kefu.duties.tables import TrainingRecord, TrainingSession

    person = await factories.member(tenant, ["agent"], name="Sweep 学员", cleared=False)
    row = TrainingSession(tenant=tenant.id, course="pre_job", session_on=date(2026, 1, 5), trainer=marker[:100],
                          place=marker[:100])
    async with transaction(tenant.id):
        await row.save()
        await TrainingRecord(tenant=tenant.id, user=person.id, course="pre_job", session_on=date(2026, 1, 5),
                             result="failed", session=row.id).save()
    return row.id


ID_FACTORIES["session_id"] = _session_id
