"""Surveys' record that closes duty tasks (kefu.duties.registry.duty_record): C.d's half-yearly
survey is done once a round of that half-year has closed with at least one valid response
(A art. 22(4): only valid questionnaires count)."""

from __future__ import annotations

from kefu.duties.registry import Span, Target, duty_record, record_link
from kefu.surveys.queries.evidence import closed_round_with_responses


@duty_record("surveys.half_year_round")
async def half_year_round(tenant_id: int, span: Span) -> str | None:
    if span.recurrence != "half_yearly":
        return None
    found = await closed_round_with_responses(tenant_id, span.key, span.start_utc, span.end_utc)
    return f"survey_round:{found}" if found else None


@record_link("survey_round", "问卷轮次", "Survey round", permission="surveys.view")
async def survey_round_page(tenant_id: int, round_id: int) -> Target | None:
    return ("surveys.round", {"round_id": round_id}, "")
