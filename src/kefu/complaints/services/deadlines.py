"""Deadlines on the complaint row: recomputed at every event, again when the holiday schedule
changes (every open deadline the changed days touch), and watched by the reminder sweep.
"""

from __future__ import annotations

import logging
from datetime import date

from kefu.audit import services as audit
from kefu.complaints.policy import (
    OPEN_STATUSES,
    ComplaintPolicy,
    Deadlines,
    WatchFacts,
    compute_deadlines,
    next_remind_on,
    policy_for,
    watched_deadlines,
)
from kefu.complaints.tables import Complaint
from kefu.core import clock
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantRow
from kefu.core.workdays import WorkCalendar
from kefu.db import is_postgres, transaction
from kefu.holidays.services import Loaded, load_calendar
from kefu.notifications.services import move_owed_due
from kefu.tenancy.queries import active_tenants

log = logging.getLogger("kefu.complaints")


def complaint_deadlines(policy: ComplaintPolicy, calendar: WorkCalendar, c: Complaint) -> Deadlines:
    """The complaint's deadlines. A art. 15: after a repeat with new facts is merged, the
    handling period runs again from the new materials (period_start_on); the art. 12 and 16
    notices keep their own dates."""
    common = {"extensions_granted": c.extensions_granted, "paused_days": c.paused_days}
    d = compute_deadlines(
        policy, calendar, received_on=c.received_on,
        materials_complete_on=c.materials_complete_on,
        materials_incomplete=c.materials_incomplete, **common,
    )
    if c.period_start_on in (None, c.received_on):
        return d
    restarted = compute_deadlines(
        policy, calendar, received_on=c.period_start_on,
        materials_complete_on=c.period_start_on, materials_incomplete=False, **common,
    )
    return Deadlines(
        d.materials_notice_due, d.acceptance_notice_due, restarted.decision_due,
        d.provisional or restarted.provisional,
    )


def apply_deadlines(
    c: Complaint, policy: ComplaintPolicy, calendar: WorkCalendar, today: date
) -> None:
    """Store the deadlines, the nearest pending one (`next_due`, whatever the state) and the
    first day any pending one reminds. Reminders already sent are not sent again (the sweep's
    claims are unique), so starting the reminders over at each change is safe."""
    d = complaint_deadlines(policy, calendar, c)
    c.materials_notice_due = d.materials_notice_due
    c.acceptance_notice_due = d.acceptance_notice_due
    c.decision_due = d.decision_due
    c.deadlines_provisional = d.provisional
    watched = watched_deadlines(WatchFacts.of(c, d), calendar, policy.pause_remind_every)
    if not watched:
        c.next_due, c.next_due_kind, c.next_remind_on = None, "", None
        return
    c.next_due, c.next_due_kind = watched[0].due, watched[0].kind
    c.next_remind_on = next_remind_on(watched, policy.reminder_days_before, calendar)


DEADLINE_COLUMNS = ("materials_notice_due", "acceptance_notice_due", "decision_due")


def touched_from(year: int, loaded: Loaded) -> date | None:
    """The first day a schedule change can have moved a deadline on; None: it moved nothing
    (the same days loaded again)."""
    if loaded.final_changed:  # every day of the year stops (or starts) being provisional
        return date(year, 1, 1)
    return min(loaded.changed) if loaded.changed else None


async def _recompute_tenant(tenant: TenantRow, calendar: WorkCalendar, start: date) -> int:
    """Every open complaint with a deadline on or after `start` (or a provisional one) is
    recomputed; those whose dates changed are saved, audited, marked moved, and the notices
    they still owe move with their deadline. Returns how many moved."""
    policy = policy_for(tenant.kind, tenant.settings)
    today = clock.today_in(tenant.timezone)
    moved = 0
    async with transaction(tenant.id):
        query = scoped_objects(Complaint, tenant.id).where(
            Complaint.status.is_in(list(OPEN_STATUSES)),
            Complaint.deadlines_provisional.eq(True) | (Complaint.next_due >= start)
            | (Complaint.decision_due >= start) | (Complaint.acceptance_notice_due >= start)
            | (Complaint.materials_notice_due >= start),
        )
        rows = await (query.lock_rows() if is_postgres() else query)
        for c in rows:
            before = [getattr(c, f) for f in DEADLINE_COLUMNS]
            was = (c.deadlines_provisional, c.next_due, c.next_remind_on)
            apply_deadlines(c, policy, calendar, today)
            after = [getattr(c, f) for f in DEADLINE_COLUMNS]
            if before == after and was == (c.deadlines_provisional, c.next_due, c.next_remind_on):
                continue
            if before != after:
                moved += 1
                c.deadlines_moved_on = today
                await move_owed_due(tenant.id, "complaint", c.id, {
                    old: new for old, new in zip(before, after, strict=True) if old and new and old != new})
            c.updated_at = clock.now()
            await c.save()
            await audit.record(
                tenant_id=tenant.id, actor_id=None, action="complaint.deadlines_recomputed",
                object_type="complaint", object_id=c.id,
                before={"deadlines": [x.isoformat() if x else None for x in before]},
                after={
                    "deadlines": [x.isoformat() if x else None for x in after],
                    "provisional": c.deadlines_provisional,
                },
            )
    return moved


async def recompute_deadlines(year: int, loaded: Loaded) -> int:
    """holidays.services.AFTER_LOAD listener: once a year is loaded or corrected (or one day
    overridden), every open complaint whose deadlines the changed days touch is recomputed on
    the new schedule, tenant by tenant (RLS), whether its dates were provisional or not.
    Returns how many complaints' deadlines moved."""
    start = touched_from(year, loaded)
    if start is None:
        return 0
    calendar = await load_calendar()
    total = 0
    for tenant in await active_tenants():
        try:
            total += await _recompute_tenant(tenant, calendar, start)
        except Exception:  # never a crash for the admin; the next change of each complaint recomputes it
            log.exception("recomputing deadlines failed for tenant %s", tenant.id)
    return total
