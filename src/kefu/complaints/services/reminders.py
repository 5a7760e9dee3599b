"""The reminder sweep: every pending deadline of a complaint (policy.watch) is reminded before
and on the day to its owner, and escalated each working day while overdue to the owner, the
reviewers (complaints.review) and the pack's senior positions.

Per tenant, one indexed range query finds the complaints due for a reminder
(`tenant_id = ? AND next_remind_on <= today`, a partial index), compiled once per process
(kefu.core.compiled). Most ticks of most tenants find nothing: on PostgreSQL one call first asks
whether anything is due (kefu_reminders_due, migrations/complaints), one round trip where the
batch's transaction takes three (make bench: nothing due). A batch then writes in one
statement per kind: the reminder claims (an INSERT that conflicts on complaint, kind, due date,
stage and day, so a sweep run twice or two sweeps at once send each reminder once), the
complaints' next reminder days, and the notices of the claims this sweep won.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from piccolo.query import Select

from kefu.complaints.policy import (
    ComplaintPolicy,
    Deadlines,
    Reminder,
    WatchFacts,
    next_reminder_after,
    policy_for,
    recipients_for,
    reminder_on,
    watched_deadlines,
)
from kefu.complaints.services import outbox
from kefu.complaints.services.reminder_people import People
from kefu.complaints.services.reminder_writes import claim_reminders, move_next_remind_on
from kefu.complaints.tables import Complaint
from kefu.core import clock
from kefu.core.compiled import Compiled, Sentinel
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.core.workdays import WorkCalendar
from kefu.db import fetch_raw, in_transaction, is_postgres, transaction
from kefu.holidays.services import load_calendar
from kefu.notifications.services import OwedNotice, owe_notices
from kefu.tenancy.queries import active_tenants

log = logging.getLogger("kefu.complaints")
BATCH = 500
MAX_BATCHES = 200  # a tick handles at most 100,000 complaints per tenant; the next tick goes on

_COLUMNS = (
    Complaint.id, Complaint.number, Complaint.subject, Complaint.status,
    Complaint.next_remind_on, Complaint.handler.as_alias("handler"),
    Complaint.registered_by.as_alias("registered_by"), Complaint.materials_notice_due,
    Complaint.acceptance_notice_due, Complaint.decision_due, Complaint.paused_since,
    Complaint.regulator_report_due, Complaint.regulator_report_sent_on,
)


def _due_query(values: Mapping[str, Any]) -> Select[Complaint]:
    return scoped(Complaint, values["tenant"], *_COLUMNS).where(
        Complaint.next_remind_on <= values["today"]
    ).order_by(Complaint.next_remind_on).order_by(Complaint.id).limit(BATCH)


_DUE = Compiled(_due_query, lambda: {"tenant": Sentinel.int(), "today": Sentinel.day()})


class Sweep:
    """One tenant's sweep on one day: its policy, calendar and the people reminders reach. The
    calendar is read when a batch first finds something due: most ticks of most tenants find
    nothing, and then the sweep is its one indexed query (make bench: nothing due). The policy
    and the people are read then too."""

    def __init__(self, tenant: TenantRow, today: date) -> None:
        self.tenant, self.today = tenant, today
        self.calendar: WorkCalendar | None = None
        self._policy: ComplaintPolicy | None = None
        self._people: People | None = None

    @property
    def policy(self) -> ComplaintPolicy:
        if self._policy is None:
            self._policy = policy_for(self.tenant.kind, self.tenant.settings)
        return self._policy

    @property
    def people(self) -> People:
        if self._people is None:
            self._people = People(self.tenant, self.policy.senior_positions)
        return self._people

    def plan(self, row: dict[str, Any]) -> tuple[list[Reminder], date | None]:
        """The reminders a complaint owes today, and the next day it reminds (None: none)."""
        deadlines = Deadlines(row["materials_notice_due"], row["acceptance_notice_due"],
                              row["decision_due"], False)
        facts = WatchFacts(row["status"], deadlines, row["paused_since"],
                           row["regulator_report_due"], row["regulator_report_sent_on"])
        p, lead = self.policy, self.policy.reminder_days_before
        assert self.calendar is not None  # batch() reads it before planning
        watched = watched_deadlines(facts, self.calendar, p.pause_remind_every)
        due = [r for w in watched if (r := reminder_on(w, self.today, lead, self.calendar))]
        after = [next_reminder_after(w, self.today, lead, self.calendar, p.pause_remind_every)
                 for w in watched]
        return due, min(after) if after else None

    async def notices(self, row: dict[str, Any], r: Reminder) -> list[OwedNotice]:
        data = {
            "complaint_number": row["number"], "subject": row["subject"], "status": row["status"],
            "deadline": r.kind, "due_on": r.due.isoformat(), "stage": r.stage,
            "paused_since": row["paused_since"].isoformat() if row["paused_since"] else None,
        }
        if r.kind == "regulator_report":  # the pack's words: a regulator, or the 12345 hotline
            words = self.policy.wording.get("regulator_report")
            if words is not None:
                data |= {"report_name": words.label, "report_name_en": words.label_en}
        day = "" if r.stage in ("before", "on_day") else f"{r.day.isoformat()}:"
        users = await self.people.for_reminder(row, recipients_for(r.stage))
        return [
            OwedNotice(
                subject_id=row["id"], recipient=outbox.staff_recipient(user), channel="email",
                data=data,
                unique_key=f"complaint:{row['id']}:reminder:{r.kind}:{r.due.isoformat()}:{r.stage}:{day}{user.id}",
            )
            for user in users
        ]

    async def batch(self) -> tuple[int, list[int]]:
        tenant_id = self.tenant.id
        async with transaction(tenant_id):
            rows = await _DUE.fetch({"tenant": tenant_id, "today": self.today})
            if not rows:
                return 0, []
            if self.calendar is None:
                self.calendar = await load_calendar()
            plans = {row["id"]: self.plan(row) for row in rows}
            owed = [(row, r) for row in rows for r in plans[row["id"]][0]]
            won = await claim_reminders(tenant_id, [(row["id"], r) for row, r in owed], clock.now())
            await move_next_remind_on(
                tenant_id, [(row["id"], row["next_remind_on"], plans[row["id"]][1]) for row in rows]
            )
            await self.people.load_owners([row for row, r in owed if (row["id"], r) in won])
            notices: list[OwedNotice] = []
            for row, r in owed:
                if (row["id"], r) in won:
                    notices += await self.notices(row, r)
            ids = await owe_notices(tenant_id=tenant_id, kind="deadline_reminder",
                                    subject_type="complaint", notices=notices)
        await outbox.nudge(tenant_id, ids)
        return len(rows), ids


_ANY_DUE_PG = "SELECT kefu_reminders_due({}::integer, {}::date) AS due"


async def anything_due(tenant_id: int, today: date) -> bool:
    """False only when PostgreSQL says, in one call, that no complaint of the tenant is due for a
    reminder today; elsewhere (SQLite, or inside a caller's transaction) the batch's own query
    finds out."""
    if not is_postgres() or await in_transaction():
        return True
    rows = await fetch_raw(Complaint, _ANY_DUE_PG, tenant_id, today)
    return bool(rows and rows[0]["due"])


async def remind_tenant(tenant: TenantRow) -> int:
    """Send one tenant's due reminders; returns how many complaints were looked at."""
    today = clock.today_in(tenant.timezone)
    if not await anything_due(tenant.id, today):
        return 0
    sweep = Sweep(tenant, today)
    seen = 0
    for _ in range(MAX_BATCHES):
        count, _ids = await sweep.batch()
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
