"""Reads of performance scorecards (A art. 27; B.f, C.n): for a period, the figures every
module contributes (kefu.duties.registry) for the people the viewer may see, the commendations
and criticisms recorded, and one person's card with the records their notes cite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar.exceptions import NotFoundException

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.policy import scorecards as rules
from kefu.duties.policy.pack import DutyPack
from kefu.duties.policy.periods import Period
from kefu.duties.queries.holders import holders_on
from kefu.duties.registry import Figure, Metric, citables, metrics
from kefu.duties.tables import PerformanceNote
from kefu.tenancy.queries import active_members


@dataclass(frozen=True)
class Viewer:
    user_id: int
    can_board: bool


@dataclass
class Cards:
    period: Period
    people: list[dict[str, Any]]  # id, name, positions
    metrics: list[Metric]
    figures: dict[str, dict[int, Figure]]  # metric code -> person -> figure
    notes: dict[int, dict[str, int]]  # person -> {commendation: n, criticism: n}


async def _people(tenant_id: int, pack: DutyPack, viewer: Viewer, today: date) -> list[dict[str, Any]]:
    async with transaction(tenant_id, write=False):
        members = await active_members(tenant_id)
    held = await holders_on(tenant_id, pack, today)
    positions = {m["id"]: held.positions_of(m["id"]) for m in members}
    seen = set(rules.visible(pack, viewer.user_id, can_board=viewer.can_board, positions=positions,
                             people=positions))
    return [{"id": m["id"], "name": m["name"], "positions": positions[m["id"]]} for m in members if m["id"] in seen]


async def _note_counts(tenant_id: int, ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {}
    if not ids:
        return found
    async with transaction(tenant_id, write=False):
        rows = await scoped(PerformanceNote, tenant_id, PerformanceNote.user.as_alias("user"), PerformanceNote.kind).where(
            PerformanceNote.user.is_in(ids), PerformanceNote.noted_on >= period.start,
            PerformanceNote.noted_on <= period.end)
    for row in rows:
        cell = found.setdefault(row["user"], {k: 0 for k in rules.KINDS})
        cell[row["kind"]] = cell.get(row["kind"], 0) + 1
    return found


async def cards(tenant_id: int, pack: DutyPack, viewer: Viewer, period: Period, today: date,
                person_id: int | None = None) -> Cards:
    """The period's scorecards of the people the viewer sees (only `person_id`'s if given: 404
    when the viewer may not see them or they are not a member, as for another tenant's)."""
    people = await _people(tenant_id, pack, viewer, today)
    if person_id is not None:
        people = [p for p in people if p["id"] == person_id]
        if not people:
            raise NotFoundException()
    ids = [p["id"] for p in people]
    found = metrics()
    figures = {m.code: await m.compute(tenant_id, ids, period.start, period.end) for m in found}
    return Cards(period, people, found, figures, await _note_counts(tenant_id, ids, period))


async def notes(tenant_id: int, person_id: int, period: Period) -> list[dict[str, Any]]:
    """The person's commendations and criticisms of the period, each with the title of the
    record it cites ("" when that record is gone)."""
    async with transaction(tenant_id, write=False):
        rows = await scoped(
            PerformanceNote, tenant_id, PerformanceNote.id, PerformanceNote.kind, PerformanceNote.noted_on,
            PerformanceNote.reason, PerformanceNote.cites_kind, PerformanceNote.cites_id,
            PerformanceNote.recorded_by.name.as_alias("recorded_by_name"),
        ).where(PerformanceNote.user == person_id, PerformanceNote.noted_on >= period.start,
                PerformanceNote.noted_on <= period.end).order_by(PerformanceNote.noted_on).order_by(PerformanceNote.id)
    kinds = citables()
    for row in rows:
        found = kinds.get(row["cites_kind"])
        row["cites_title"] = (await found.lookup(tenant_id, row["cites_id"]) or "") if found and row["cites_id"] else ""
    return rows
