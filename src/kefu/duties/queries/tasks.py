"""Reads of duty tasks: a person's list, one task, and the board's compliance per position and
per person and period (a period of the board is a calendar month of the due date)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kefu.core.scoping import get_in_tenant, scoped
from kefu.db import transaction
from kefu.duties.policy import periods
from kefu.duties.tables import DutyTask

COLUMNS = (
    DutyTask.id, DutyTask.position, DutyTask.duty_code, DutyTask.recurrence, DutyTask.period_key,
    DutyTask.period_start, DutyTask.due_on, DutyTask.status, DutyTask.evidence_kind, DutyTask.done_on,
    DutyTask.assignee.as_alias("assignee_id"), DutyTask.assignee.name.as_alias("assignee_name"),
)
BOARD_MONTHS = 6


async def my_tasks(tenant_id: int, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """The person's open tasks by due date, and their last 20 done."""
    async with transaction(tenant_id, write=False):
        mine = scoped(DutyTask, tenant_id, *COLUMNS).where(DutyTask.assignee == user_id)
        open_rows = await mine.where(DutyTask.status == "open").order_by(DutyTask.due_on).limit(200)
        done = await scoped(DutyTask, tenant_id, *COLUMNS).where(
            DutyTask.assignee == user_id, DutyTask.status == "done").order_by(DutyTask.done_at, ascending=False).limit(20)
    return {"open": open_rows, "done": done}


async def task(tenant_id: int, task_id: int) -> dict[str, Any]:
    """One task (404 if not the tenant's), with its evidence."""
    async with transaction(tenant_id, write=False):
        row = await get_in_tenant(DutyTask, tenant_id, task_id)
        found = await scoped(DutyTask, tenant_id, *COLUMNS, DutyTask.evidence_note, DutyTask.evidence_checks,
                             DutyTask.evidence_ref, DutyTask.done_by.name.as_alias("done_by_name"),
                             ).where(DutyTask.id == row.id).first()
    assert found is not None
    checks = found["evidence_checks"]
    found["evidence_checks"] = json.loads(checks) if isinstance(checks, str) else list(checks or [])
    return found


def months_back(today: date, count: int = BOARD_MONTHS) -> list[periods.Period]:
    """The `count` months up to today's, oldest first."""
    current = periods.period_of("monthly", today)
    found = [current]
    while len(found) < count:
        found.insert(0, periods.previous(found[0]))
    return found


def _tally(rows: list[dict[str, Any]], key: str, months: list[periods.Period], today: date) -> dict[str, Any]:
    """{key value: {month key: {due, done, late, open, rate}}}: a task counts as due in its due
    date's month once that date has passed or it is done; done on time = done by its due date."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        month = f"{row['due_on'].year}-{row['due_on'].month:02d}"
        cell = table.setdefault(str(row[key]), {}).setdefault(month, {"due": 0, "done": 0, "late": 0, "open": 0})
        if row["status"] == "done":
            cell["due"] += 1
            on_time = row["done_on"] is not None and row["done_on"] <= row["due_on"]
            cell["done" if on_time else "late"] += 1
        elif row["due_on"] < today:
            cell["due"] += 1
            cell["open"] += 1
    for cells in table.values():
        for cell in cells.values():
            cell["rate"] = periods.compliance_rate(cell["done"], cell["due"])
    return table


async def board(tenant_id: int, today: date) -> dict[str, Any]:
    """Compliance per position and per person over the last BOARD_MONTHS months."""
    months = months_back(today)
    async with transaction(tenant_id, write=False):
        rows = await scoped(DutyTask, tenant_id, *COLUMNS).where(
            DutyTask.due_on >= months[0].start, DutyTask.due_on <= months[-1].end).order_by(DutyTask.id)
    people = {str(r["assignee_id"]): r["assignee_name"] or "—" for r in rows}
    overdue = [r for r in rows if r["status"] == "open" and r["due_on"] < today]
    return {
        "months": months, "by_position": _tally(rows, "position", months, today),
        "by_person": _tally(rows, "assignee_id", months, today), "people": people,
        "overdue": sorted(overdue, key=lambda r: r["due_on"]),
    }
