"""Reads of training: each member's required courses, what they hold, and who is not cleared
for service work since when (A art. 8)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu.core.scoping import get_in_tenant, scoped
from kefu.db import transaction
from kefu.duties.policy import training as rules
from kefu.duties.policy.pack import DutyPack
from kefu.duties.policy.periods import local_day
from kefu.duties.queries.holders import holders_on
from kefu.duties.tables import PositionAssignment, TrainingPlanItem, TrainingRecord, TrainingSession
from kefu.tenancy.queries.positions import member_positions


async def records(tenant_id: int, limit: int = 200) -> list[dict[str, Any]]:
    async with transaction(tenant_id, write=False):
        return await scoped(
            TrainingRecord, tenant_id, TrainingRecord.id, TrainingRecord.course, TrainingRecord.session_on,
            TrainingRecord.result, TrainingRecord.score, TrainingRecord.trainer, TrainingRecord.certificate_no,
            TrainingRecord.expires_on, TrainingRecord.user.name.as_alias("name"),
        ).order_by(TrainingRecord.session_on, ascending=False).order_by(TrainingRecord.id, ascending=False).limit(limit)


async def certificates(tenant_id: int) -> list[dict[str, Any]]:
    """Every passed result with a certificate number, newest first: the certificates register
    (name, course, session_on, certificate_no, expires_on, session: the session's id or None)."""
    async with transaction(tenant_id, write=False):
        return await scoped(
            TrainingRecord, tenant_id, TrainingRecord.course, TrainingRecord.session_on, TrainingRecord.certificate_no,
            TrainingRecord.expires_on, TrainingRecord.session, TrainingRecord.user.name.as_alias("name"),
        ).where(TrainingRecord.result == "passed", TrainingRecord.certificate_no != "").order_by(
            TrainingRecord.session_on, ascending=False).order_by(TrainingRecord.id, ascending=False)


async def _started(tenant_id: int) -> dict[int, date]:
    """The first day each person was on a position by assignment (for "not cleared since")."""
    rows = await scoped(PositionAssignment, tenant_id, PositionAssignment.user.as_alias("user"),
                        PositionAssignment.starts_on)
    first: dict[int, date] = {}
    for r in rows:
        first[r["user"]] = min(first.get(r["user"], r["starts_on"]), r["starts_on"])
    return first


async def clearance(tenant_id: int, pack: DutyPack, today: date, zone: str) -> list[dict[str, Any]]:
    """Every person on a position that requires training: name, positions, required, missing
    courses and, when something is missing, since when they are not cleared (the day their
    last certificate expired, else the day they started: assignment or membership)."""
    held = await holders_on(tenant_id, pack, today)
    async with transaction(tenant_id, write=False):
        joined = {r["user"]: local_day(r["joined_at"], zone) for r in await member_positions(tenant_id)}
        certs_rows = await scoped(TrainingRecord, tenant_id, TrainingRecord.user.as_alias("user"), TrainingRecord.course,
                                  TrainingRecord.result, TrainingRecord.session_on, TrainingRecord.expires_on)
        started = await _started(tenant_id)
    certs: dict[int, list[rules.Certificate]] = {}
    for r in certs_rows:
        certs.setdefault(r["user"], []).append(rules.Certificate(r["course"], r["result"], r["session_on"], r["expires_on"]))
    found = []
    for uid, person in sorted(held.people.items(), key=lambda p: (p[1].name, p[0])):
        positions = held.positions_of(uid)
        required = pack.training_of(positions)
        if not required:
            continue
        mine = certs.get(uid, [])
        missing = rules.missing(required, mine, today)
        start = min(started.get(uid, today), joined.get(uid, today))
        since = min((rules.uncleared_since(c, mine, start) for c in missing), default=None)
        found.append({"id": uid, "name": person.name, "positions": positions, "required": required,
                      "missing": missing, "since": since})
    return found



async def sessions(tenant_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The sessions, newest first, each with how many attended and passed."""
    async with transaction(tenant_id, write=False):
        rows = await scoped(TrainingSession, tenant_id, TrainingSession.id, TrainingSession.course,
                            TrainingSession.department, TrainingSession.session_on, TrainingSession.trainer,
                            TrainingSession.place).order_by(TrainingSession.session_on, ascending=False).order_by(
            TrainingSession.id, ascending=False).limit(limit)
        ids = [r["id"] for r in rows]
        results = await scoped(TrainingRecord, tenant_id, TrainingRecord.session, TrainingRecord.result).where(
            TrainingRecord.session.is_in(ids)) if ids else []
    for row in rows:
        mine = [r for r in results if r["session"] == row["id"]]
        row["attended"], row["passed"] = len(mine), sum(r["result"] == "passed" for r in mine)
    return rows


async def session(tenant_id: int, session_id: int) -> dict[str, Any]:
    """One session (404 if not the tenant's) with its attendees' results."""
    async with transaction(tenant_id, write=False):
        row = await get_in_tenant(TrainingSession, tenant_id, session_id)
        attendees = await scoped(
            TrainingRecord, tenant_id, TrainingRecord.id, TrainingRecord.result, TrainingRecord.score,
            TrainingRecord.expires_on, TrainingRecord.certificate_no, TrainingRecord.user.name.as_alias("name"),
        ).where(TrainingRecord.session == row.id).order_by(TrainingRecord.id)
    return {"session": row.to_dict(), "attendees": attendees}


async def plan(tenant_id: int, year: int) -> list[dict[str, Any]]:
    """The year's plan lines by month, each with the days a session of its course (for its
    department, or for no department in particular) was held in that month."""
    async with transaction(tenant_id, write=False):
        items = await scoped(TrainingPlanItem, tenant_id, TrainingPlanItem.id, TrainingPlanItem.department,
                             TrainingPlanItem.course, TrainingPlanItem.month, TrainingPlanItem.note).where(
            TrainingPlanItem.year == year).order_by(TrainingPlanItem.month).order_by(TrainingPlanItem.id)
        held = await scoped(TrainingSession, tenant_id, TrainingSession.course, TrainingSession.department,
                            TrainingSession.session_on).where(
            TrainingSession.session_on >= date(year, 1, 1), TrainingSession.session_on <= date(year, 12, 31))
    for item in items:
        item["held"] = sorted(h["session_on"] for h in held if h["course"] == item["course"]
                              and h["session_on"].month == item["month"]
                              and h["department"] in ("", item["department"]))
    return items
