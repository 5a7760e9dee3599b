"""Deadlines on the complaint row: recomputed at every event, again when a holiday year is
loaded (provisional ones), and watched by the reminder sweep.
"""

from __future__ import annotations

import logging
from datetime import date

from kefu.audit import services as audit
from kefu.complaints.policy import (
    OPEN_STATUSES,
    ComplaintPolicy,
    Deadlines,
    compute_deadlines,
    current_deadline,
    first_remind_on,
    policy_for,
)
from kefu.complaints.tables import Complaint
from kefu.core import clock
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantRow
from kefu.core.workdays import WorkCalendar
from kefu.db import is_postgres, transaction
from kefu.holidays.services import load_calendar
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
    """Store the deadlines and the one the sweep watches; a changed deadline restarts its
    reminders (a new due date is a new reminder key)."""
    d = complaint_deadlines(policy, calendar, c)
    c.materials_notice_due = d.materials_notice_due
    c.acceptance_notice_due = d.acceptance_notice_due
    c.decision_due = d.decision_due
    c.deadlines_provisional = d.provisional
    watched = current_deadline(c.status, c.paused_since is not None, d)
    if watched is None:
        c.next_due, c.next_due_kind, c.next_remind_on = None, "", None
        return
    kind, due = watched
    if (kind, due) != (c.next_due_kind, c.next_due):
        c.next_due_kind, c.next_due = kind, due
        c.next_remind_on = first_remind_on(due, policy.reminder_days_before)


async def _recompute_tenant(tenant: TenantRow, calendar: WorkCalendar) -> int:
    policy = policy_for(tenant.kind, tenant.settings)
    today = clock.today_in(tenant.timezone)
    async with transaction(tenant.id):
        query = scoped_objects(Complaint, tenant.id).where(
            Complaint.deadlines_provisional.eq(True), Complaint.status.is_in(list(OPEN_STATUSES))
        )
        rows = await (query.lock_rows() if is_postgres() else query)
        for c in rows:
            before = (c.materials_notice_due, c.acceptance_notice_due, c.decision_due)
            apply_deadlines(c, policy, calendar, today)
            after = (c.materials_notice_due, c.acceptance_notice_due, c.decision_due)
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
    return len(rows)


async def recompute_provisional_deadlines(year: int) -> int:
    """holidays.services.AFTER_LOAD listener: once an admin loads `year`, every open complaint
    with provisional deadlines is recomputed on the loaded schedule, tenant by tenant (RLS).
    Returns how many complaints were recomputed."""
    calendar = await load_calendar()
    tenants = await active_tenants()
    total = 0
    for tenant in tenants:
        try:
            total += await _recompute_tenant(tenant, calendar)
        except Exception:  # never a crash for the admin; the next change of each complaint recomputes it
            log.exception("recomputing provisional deadlines failed for tenant %s", tenant.id)
    return total
