"""Reads of callback quality (A art. 27): the sample of submitted records QA has still to score,
a record's score, and per person for a period the callback counts, the reach rate and the mean
quality score that the performance scorecard shows (kefu.callbacks.scorecard)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kefu.callbacks.policy.quality import in_sample, quality_for
from kefu.callbacks.tables import CallbackAttempt, CallbackRecord, CallbackScore
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.tenancy.queries import tenant_timezone

SCORE = "callbacks.score"
MAX_ID = 2**31 - 1
SAMPLE_SIZE = 50


@dataclass(frozen=True)
class PersonFigures:
    records: int = 0  # records submitted (callbacks done)
    attempts: int = 0
    reached: int = 0
    score_sum: float = 0.0  # scores as a percent of the sheet's maximum
    scored: int = 0


def _bounds(tz: str, start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return datetime.combine(start, time(), zone), datetime.combine(end + timedelta(days=1), time(), zone)


async def figures_by_person(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, PersonFigures]:
    """Per person among `user_ids`, from `start` to `end` (local days, inclusive)."""
    if not user_ids:
        return {}
    ids = list(user_ids)
    low, high = _bounds(await tenant_timezone(tenant_id) or "Asia/Shanghai", start, end)
    async with transaction(tenant_id, write=False):
        records = await scoped(CallbackRecord, tenant_id, CallbackRecord.written_by.as_alias("uid")).where(
            CallbackRecord.status == "submitted", CallbackRecord.written_by.is_in(ids),
            CallbackRecord.callback_on >= start, CallbackRecord.callback_on <= end)
        attempts = await scoped(CallbackAttempt, tenant_id, CallbackAttempt.by.as_alias("uid"),
                                CallbackAttempt.outcome).where(
            CallbackAttempt.by.is_in(ids), CallbackAttempt.attempted_at >= low, CallbackAttempt.attempted_at < high)
        scores = await scoped(CallbackScore, tenant_id, CallbackScore.agent.as_alias("uid"), CallbackScore.total,
                              CallbackScore.max_total).where(
            CallbackScore.agent.is_in(ids), CallbackScore.scored_on >= start, CallbackScore.scored_on <= end)
    out: dict[int, dict[str, Any]] = {}
    for r in records:
        out.setdefault(r["uid"], {})["records"] = out.get(r["uid"], {}).get("records", 0) + 1
    for a in attempts:
        f = out.setdefault(a["uid"], {})
        f["attempts"] = f.get("attempts", 0) + 1
        f["reached"] = f.get("reached", 0) + (a["outcome"] == "reached")
    for s in scores:
        f = out.setdefault(s["uid"], {})
        f["score_sum"] = f.get("score_sum", 0.0) + (100.0 * s["total"] / s["max_total"] if s["max_total"] else 0.0)
        f["scored"] = f.get("scored", 0) + 1
    return {uid: PersonFigures(**f) for uid, f in out.items()}


async def record_title(tenant_id: int, record_id: int) -> str | None:
    """"<date> <customer> <reference>" of the tenant's record, None if it has none of that id."""
    if not 1 <= record_id <= MAX_ID:
        return None
    async with transaction(tenant_id, write=False):
        row = await scoped(CallbackRecord, tenant_id, CallbackRecord.callback_on, CallbackRecord.customer_name,
                           CallbackRecord.reference).where(CallbackRecord.id == record_id).first()
    return " ".join(p for p in (row["callback_on"].isoformat(), row["customer_name"], row["reference"]) if p) \
        if row else None


async def to_score(ctx: TenantContext) -> list[dict[str, Any]]:
    """The sample (the pack's sample_percent of submitted records) not yet scored, newest first."""
    ctx.require(SCORE)
    percent = quality_for(ctx.tenant.kind).sample_percent
    async with transaction(ctx.tenant_id, write=False):
        scored = {r["record_id"] for r in await scoped(CallbackScore, ctx.tenant_id,
                                                       CallbackScore.record.as_alias("record_id"))}
        rows = await scoped(CallbackRecord, ctx.tenant_id, CallbackRecord.id, CallbackRecord.callback_on,
                            CallbackRecord.customer_name, CallbackRecord.reference, CallbackRecord.kind,
                            CallbackRecord.method, CallbackRecord.written_by.name.as_alias("written_by_name")).where(
            CallbackRecord.status == "submitted").order_by(CallbackRecord.id, ascending=False).limit(5000)
    return [r for r in rows if in_sample(r["id"], percent) and r["id"] not in scored][:SAMPLE_SIZE]


async def score_of(tenant_id: int, record_id: int) -> dict[str, Any] | None:
    return await scoped(CallbackScore, tenant_id, CallbackScore.id, CallbackScore.items, CallbackScore.total,
                        CallbackScore.max_total, CallbackScore.comment, CallbackScore.scored_on,
                        CallbackScore.by.name.as_alias("by_name")).where(
        CallbackScore.record == record_id).output(load_json=True).first()
