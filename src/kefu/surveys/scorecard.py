"""Surveys' row on the performance scorecard (kefu.duties.registry; issue 12: survey results for
the people and services they cover): each person's mean satisfaction (0–100) over the valid
responses submitted in the period, on the scored questions of the services (question topics)
their positions cover (tenants/<kind>/survey_coverage.toml)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kefu.core import clock
from kefu.duties.queries import positions_on
from kefu.duties.registry import Figure, Span, scorecard_metric
from kefu.surveys.policy.coverage import coverage_for, covered_index, topics_of
from kefu.surveys.queries.covered import valid_answers_between
from kefu.tenancy.queries import get_tenant


@scorecard_metric("surveys.satisfaction", "所负责服务的客户满意度", "Satisfaction with the services they cover",
                  unit="score", order=35)
async def satisfaction(tenant_id: int, user_ids: Sequence[int], start: date, end: date) -> dict[int, Figure]:
    tenant = await get_tenant(tenant_id)
    if tenant is None or not user_ids:
        return {}
    coverage = coverage_for(tenant.kind)
    held = await positions_on(tenant_id, user_ids, min(end, clock.today_in(tenant.timezone)))
    topics = {uid: topics_of(coverage, held.get(uid, [])) for uid in user_ids}
    if not any(topics.values()):
        return {}
    span = Span("", "", start, end, tenant.timezone)
    answers = await valid_answers_between(tenant_id, span.start_utc, span.end_utc)
    found = {}
    for uid, covered in topics.items():
        values = [v for d, a in answers if (v := covered_index(d, a, covered)) is not None]
        if values:
            found[uid] = Figure.score(sum(values), len(values))
    return found
