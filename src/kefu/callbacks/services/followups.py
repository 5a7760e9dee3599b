"""Automatic follow-ups (A art. 24(2)): each closed complaint gets its complaint-handling
callback, workable from the pack's delay after the close. The scheduler's sweep reads the
complaints closed lately through complaints' public query (complaints never import callbacks)
and inserts one task per complaint under the unique key "complaint:<id>": a retried close, two
sweeps at once or a sweep run again make no second task."""

from __future__ import annotations

from datetime import date, timedelta

from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.policy.tasks import COLUMNS, NewTask
from kefu.callbacks.tables import CallbackTask
from kefu.complaints.queries import closed_between
from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction

LOOKBACK_DAYS = 30  # complaints closed this long ago still get their follow-up after an outage


def _insert_ignoring_duplicates() -> str:
    row = "(" + ", ".join("{}" for _ in COLUMNS) + ")"
    # The unique index (tenant_id, unique_key) is the guarantee; DO NOTHING on both engines.
    columns = ", ".join(COLUMNS[1:])  # tenant_id first, written out for the scoping scan
    return (f"INSERT INTO callback_task (tenant_id, {columns}) VALUES {row} "  # noqa: S608 - our names
            f"ON CONFLICT (tenant_id, unique_key) DO NOTHING RETURNING id")


async def create_complaint_followups(tenant_id: int, tenant_kind: str, today: date) -> int:
    """Follow-up tasks for the complaints closed in the last LOOKBACK_DAYS that have none yet;
    how many were made."""
    pack = callbacks_for(tenant_kind)
    async with transaction(tenant_id):
        closed = await closed_between(tenant_id, today - timedelta(days=LOOKBACK_DAYS), today)
        if not closed:
            return 0
        keys = [f"complaint:{c['id']}" for c in closed]
        have = {r["unique_key"] for r in await scoped(CallbackTask, tenant_id, CallbackTask.unique_key).where(
            CallbackTask.unique_key.is_in(keys))}
        made = 0
        now = clock.now()
        sql = _insert_ignoring_duplicates()
        for c, key in zip(closed, keys, strict=True):
            if key in have:
                continue
            opens = c["closed_on"] + timedelta(days=pack.complaint_followup_delay_days)
            task = NewTask(
                kind=pack.complaint_followup_kind, origin="complaint", methods=pack.default_methods,
                attempt_limit=pack.attempt_limit, opens_on=opens, due_on=opens + timedelta(days=pack.due_days),
                unique_key=key, customer_id=c["customer_id"], customer_name=c["complainant_name"],
                customer_phone=c["complainant_phone"], reference=c["number"], subject_type="complaint",
                subject_id=c["id"],
            )
            made += len(await CallbackTask.raw(sql, *task.values(tenant_id, pack, now)))
        return made
