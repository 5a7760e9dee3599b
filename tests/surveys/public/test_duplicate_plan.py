"""The household duplicate check reads its own index even when the statistics have not seen the
round's answers yet (a round answered in a burst, before autoanalyze): before, it was planned on
(tenant_id, round_id, id) and read every answer of the round before each new one."""

from __future__ import annotations

import pytest

from kefu.db import is_postgres, transaction
from kefu.surveys.tables import SurveyResponse
from tests.surveys import factories as sf

# The check as kefu_survey_answer and answer_writes._DUP_HOUSEHOLD_PG write it.
CHECK = ("EXPLAIN SELECT 1 FROM survey_response s WHERE s.tenant_id = {}::integer AND s.round_id = {}::integer "
         "AND s.is_valid AND s.household = {}::text")


async def test_the_household_duplicate_check_uses_its_index_with_stale_statistics(estate):
    if not is_postgres():
        pytest.skip("the planner's choice is PostgreSQL's")
    template = await sf.template(estate, validity={**sf.VALIDITY, "one_per": "household"})
    round_row = await sf.survey_round(estate, template)
    await SurveyResponse.raw("ANALYZE survey_response")  # the statistics: before the round has any answer
    async with transaction(estate.id):
        await SurveyResponse.raw(
            "INSERT INTO survey_response (tenant_id, round_id, answers, submitted_at, duration_seconds, "
            "is_valid, invalid_reason, building, segment, household, via) "
            "SELECT {}, {}, '{{}}', now(), 60, true, '', '', '', 'h' || g, 'open' FROM generate_series(1, 3000) g",
            estate.id, round_row.id,
        )
        plan = await SurveyResponse.raw(
            CHECK, estate.id, round_row.id, "8栋|1801")
    text = "\n".join(r["QUERY PLAN"] for r in plan)
    assert "survey_response_valid_household" in text, text
