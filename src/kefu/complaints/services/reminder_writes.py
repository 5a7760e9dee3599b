"""The sweep's writes, one statement per kind per batch: the reminder claims (the unique index
decides which sweep sends a reminder) and the complaints' next reminder days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from kefu.complaints.policy import Reminder
from kefu.complaints.tables import Complaint, ComplaintReminder
from kefu.db import is_postgres

CHUNK = 2_000  # claims per INSERT: 7 parameters each, well under SQLite's 32,766


# {when}: one "WHEN id THEN day" per complaint; every value is a parameter.
_MOVE = (
    "UPDATE complaint SET next_remind_on = CASE id {when} END WHERE tenant_id = {{}} "
    "AND id IN ({marks}) AND next_remind_on = CASE id {when} END"
)


def _key(complaint_id: int, kind: str, due: object, stage: str, day: object) -> tuple:
    return complaint_id, kind, str(due), stage, str(day)


async def claim_reminders(
    tenant_id: int, owed: Sequence[tuple[int, Reminder]], now: datetime
) -> set[tuple[int, Reminder]]:
    """Claim each (complaint id, reminder); returns those this call won (inserted). A claim
    another sweep holds already, or holds uncommitted, is not won here. Rows go in a fixed
    order, so two sweeps claiming overlapping batches queue rather than deadlock."""
    ordered = sorted(owed, key=lambda o: (o[0], o[1].kind, o[1].stage, o[1].day))
    by_key = {_key(i, r.kind, r.due, r.stage, r.day): (i, r) for i, r in ordered}
    won: set[tuple[int, Reminder]] = set()
    for start in range(0, len(ordered), CHUNK):
        rows = [
            ComplaintReminder(tenant=tenant_id, complaint=i, kind=r.kind, due_on=r.due,
                              stage=r.stage, remind_on=r.day, sent_at=now)
            for i, r in ordered[start:start + CHUNK]
        ]
        inserted = await ComplaintReminder.insert(*rows).on_conflict(
            target=(ComplaintReminder.tenant, ComplaintReminder.complaint, ComplaintReminder.kind,
                    ComplaintReminder.due_on, ComplaintReminder.stage, ComplaintReminder.remind_on),
            action="DO NOTHING",
        ).returning(ComplaintReminder.complaint, ComplaintReminder.kind, ComplaintReminder.due_on,
                    ComplaintReminder.stage, ComplaintReminder.remind_on)
        for x in inserted:
            won.add(by_key[_key(x["complaint_id"], x["kind"], x["due_on"], x["stage"], x["remind_on"])])
    return won


async def move_next_remind_on(
    tenant_id: int, moves: Sequence[tuple[int, date | None, date | None]]
) -> None:
    """Set each complaint's next reminder day, (id, day read, new day), in one UPDATE; a row
    whose day a concurrent change moved since it was read is left alone."""
    if not moves:
        return
    cast = "::date" if is_postgres() else ""

    def day(d: date | None) -> object:
        return d if d is None or is_postgres() else d.isoformat()

    args_new = [x for complaint_id, _, new in moves for x in (complaint_id, day(new))]
    args_old = [x for complaint_id, old, _ in moves for x in (complaint_id, day(old))]
    ids = [m[0] for m in moves]
    when = " ".join([f"WHEN {{}} THEN {{}}{cast}"] * len(moves))
    marks = ", ".join(["{}"] * len(moves))
    sql = _MOVE.format(when=when, marks=marks)
    await Complaint.raw(sql, *args_new, tenant_id, *ids, *args_old)
