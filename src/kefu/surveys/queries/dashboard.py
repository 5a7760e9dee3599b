"""Reads of the surveys dashboard: the rounds with their live counts, the tenant's half-year
setting and what it says about C.d (this half-year's round, a missed one), and the templates
a new round or the schedule may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.query.functions.aggregate import Count

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.surveys.policy.rounds import Counts, closes_on
from kefu.surveys.policy.schedule import (
    half_bounds,
    half_year_of,
    local_midnight,
    missed_halves,
    previous_half,
    rules_of,
    window_days,
)
from kefu.surveys.tables import SurveyResponse, SurveyRound, SurveySchedule, SurveyTemplate


async def counts(tenant_id: int, rounds: list[dict[str, Any]]) -> dict[int, Counts]:
    """Invited, responded and valid per round: live while a round runs."""
    ids = [r["id"] for r in rounds]
    found = {r["id"]: Counts(invited=r["invited_count"]) for r in rounds}
    if not ids:
        return found
    query = scoped(
        SurveyResponse, tenant_id, SurveyResponse.round.as_alias("round"), SurveyResponse.via,
        SurveyResponse.is_valid, Count(),
    ).where(SurveyResponse.round.is_in(ids))
    for r in await query.group_by(SurveyResponse.round, SurveyResponse.via, SurveyResponse.is_valid):
        c = found[r["round"]]
        c.responded += r["count"]
        c.valid += r["count"] if r["is_valid"] else 0
        c.via_open += r["count"] if r["via"] == "open" else 0
    return found


ROUND_COLUMNS = (
    SurveyRound.id, SurveyRound.title, SurveyRound.status, SurveyRound.opens_at, SurveyRound.closes_at,
    SurveyRound.half_year, SurveyRound.invited_count, SurveyRound.open_token, SurveyRound.reminder_after_days,
    SurveyRound.reminders_sent_at, SurveyRound.closed_at, SurveyRound.template.name.as_alias("template_name"),
)


async def list_rounds(tenant_id: int, limit: int = 200) -> list[dict[str, Any]]:
    return await scoped(SurveyRound, tenant_id, *ROUND_COLUMNS).order_by(
        SurveyRound.opens_at, ascending=False).limit(limit)


async def get_schedule(tenant_id: int) -> dict[str, Any] | None:
    row = await scoped(SurveySchedule, tenant_id).first().output(load_json=True)
    if row is not None and "template" not in row:
        row["template"] = row["template_id"]
    return row


@dataclass(frozen=True)
class HalfYearStatus:
    current: str  # "2026H2"
    current_round: dict[str, Any] | None  # the latest round of the current half-year
    missed: str | None  # the latest past half-year without a round that counts for it
    next_opens: date | None  # when the scheduled round of the current half-year opens
    missed_all: list[str] = field(default_factory=list)  # every such half-year since the tenant started


async def _valid_rounds(tenant_id: int, round_ids: list[int]) -> set[int]:
    if not round_ids:
        return set()
    rows = await scoped(SurveyResponse, tenant_id, SurveyResponse.round.as_alias("round")).where(
        SurveyResponse.round.is_in(round_ids), SurveyResponse.is_valid.eq(True)).distinct()
    return {r["round"] for r in rows}


async def half_year_status(tenant: TenantRow) -> HalfYearStatus:
    """What the dashboard says about C.d. A closed round counts for the half-year its window
    closed in, whether the scheduler or a person made it, only with at least one valid
    response; every past half-year since the tenant started is checked."""
    tz = ZoneInfo(tenant.timezone)
    today = clock.today_in(tenant.timezone)
    current = half_year_of(today)
    created = tenant.created_at.astimezone(tz).date() if tenant.created_at else None
    first = half_year_of(created) if created else previous_half(current)
    since = local_midnight(half_bounds(min(first, previous_half(current)))[0], tenant.timezone)
    rows = await scoped(
        SurveyRound, tenant.id, SurveyRound.id, SurveyRound.title, SurveyRound.status, SurveyRound.half_year,
        SurveyRound.opens_at, SurveyRound.closes_at, SurveyRound.closed_at,
    ).where(SurveyRound.closes_at >= since).order_by(SurveyRound.opens_at)
    valid = await _valid_rounds(tenant.id, [r["id"] for r in rows if r["status"] == "closed"])
    counted, latest = set(), None
    for r in rows:
        half = r["half_year"] or half_year_of(closes_on(r["closed_at"] or r["closes_at"], tenant.timezone))
        if r["status"] == "closed" and r["id"] in valid:
            counted.add(half)
        if half == current:
            latest = r
    schedule = await get_schedule(tenant.id)
    next_opens = None
    if schedule and schedule["enabled"] and latest is None:
        opens, _ = window_days(rules_of(schedule), current)
        next_opens = opens if opens >= today else None
    missed = missed_halves(today, counted, created)
    return HalfYearStatus(current, latest, missed[-1] if missed else None, next_opens, missed)


async def templates_choice(tenant_id: int) -> list[dict[str, Any]]:
    """The templates a new round or the schedule may use: those not archived, by name."""
    return await scoped(SurveyTemplate, tenant_id, SurveyTemplate.id, SurveyTemplate.name).where(
        SurveyTemplate.is_archived.eq(False)).order_by(SurveyTemplate.name)


async def half_year_round_exists(tenant_id: int, label: str) -> bool:
    return await scoped(SurveyRound, tenant_id, SurveyRound.id).where(SurveyRound.half_year == label).first() is not None


LIVE_COLUMNS = (SurveyRound.id, SurveyRound.status, SurveyRound.opens_at, SurveyRound.closes_at,
                SurveyRound.reminder_after_days, SurveyRound.reminders_sent_at)


async def live_rounds(tenant_id: int) -> list[dict[str, Any]]:
    """The scheduled and open rounds, as the scheduler's tick decides over them."""
    return await scoped(SurveyRound, tenant_id, *LIVE_COLUMNS).where(
        SurveyRound.status.is_in(["scheduled", "open"])).order_by(SurveyRound.id)
