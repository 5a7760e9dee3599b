"""What other modules ask of surveys as evidence of work done: C.d's half-yearly survey is done
once a round of that half-year has closed with at least one valid response (A art. 22(4):
only valid questionnaires count)."""

from __future__ import annotations

from datetime import datetime

from piccolo.query.functions.aggregate import Count

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.surveys.tables import SurveyResponse, SurveyRound


async def closed_round_with_responses(tenant_id: int, half_year: str, start: datetime, end: datetime) -> int | None:
    """The id of a closed round of the half-year `half_year` ("2026H2": the scheduled round of it,
    or any round closed between `start` and `end`) holding at least one valid response; None if
    there is none yet."""
    async with transaction(tenant_id, write=False):
        rounds = await scoped(SurveyRound, tenant_id, SurveyRound.id, SurveyRound.half_year,
                              SurveyRound.closed_at).where(SurveyRound.status == "closed").where(
            (SurveyRound.half_year == half_year)
            | ((SurveyRound.closed_at >= start) & (SurveyRound.closed_at < end))
        ).order_by(SurveyRound.id)
        if not rounds:
            return None
        ids = [r["id"] for r in rounds]
        valid = await scoped(SurveyResponse, tenant_id, SurveyResponse.round.as_alias("round_id"),
                             Count(SurveyResponse.id, alias="n")).where(
            SurveyResponse.round.is_in(ids), SurveyResponse.is_valid.eq(True)
        ).group_by(SurveyResponse.round)
    counted = {r["round_id"] for r in valid if r["n"]}
    return next((i for i in ids if i in counted), None)
