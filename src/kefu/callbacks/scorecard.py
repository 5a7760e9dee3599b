"""Callbacks' rows on the performance scorecard (kefu.duties.registry, A art. 27): callbacks
done, the reach rate of calls and visits, and the mean QA score, per person; and the callback
record as a record a commendation or criticism may cite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kefu.callbacks.queries.quality import figures_by_person, record_title
from kefu.duties.registry import Figure, citable, scorecard_metric


@scorecard_metric("callbacks.done", "完成回访件数", "Callbacks done", unit="count", order=40)
async def done(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    found = await figures_by_person(tenant_id, user_ids, start, end)
    return {uid: Figure.count(f.records) for uid, f in found.items() if f.records}


@scorecard_metric("callbacks.reach_rate", "回访接通率", "Callback reach rate", unit="percent", order=41)
async def reach_rate(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    found = await figures_by_person(tenant_id, user_ids, start, end)
    return {uid: Figure.rate(f.reached, f.attempts) for uid, f in found.items() if f.attempts}


@scorecard_metric("callbacks.quality", "回访质检平均分", "Callback quality score", unit="score", order=42)
async def quality(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    found = await figures_by_person(tenant_id, user_ids, start, end)
    return {uid: Figure.score(f.score_sum, f.scored) for uid, f in found.items() if f.scored}


@citable("callback_record", "回访记录", "Callback record")
async def callback_record(tenant_id: int, record_id: int) -> str | None:
    return await record_title(tenant_id, record_id)
