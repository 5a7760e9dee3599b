"""The valid responses submitted in a time range, each with its round's questions: what the
scorecard reads to give each person the satisfaction of the services they cover."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.surveys.policy.definition import Definition, parse_definition
from kefu.surveys.tables import SurveyResponse, SurveyRound


async def valid_answers_between(tenant_id: int, start: datetime, end: datetime) -> list[tuple[Definition, dict[str, Any]]]:
    """(the round's definition, the answers) of every valid response submitted from `start`
    (inclusive) to `end` (exclusive)."""
    async with transaction(tenant_id, write=False):
        rows = await scoped(SurveyResponse, tenant_id, SurveyResponse.round.as_alias("round_id"),
                            SurveyResponse.answers).where(
            SurveyResponse.is_valid.eq(True), SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end,
        ).output(load_json=True)
        ids = sorted({r["round_id"] for r in rows})
        rounds = await scoped(SurveyRound, tenant_id, SurveyRound.id, SurveyRound.definition).where(
            SurveyRound.id.is_in(ids or [0]))
    definitions = {r["id"]: parse_definition(r["definition"]) for r in rounds}
    found = []
    for row in rows:
        answers = row["answers"]
        if isinstance(answers, str):
            answers = json.loads(answers or "{}")
        found.append((definitions[row["round_id"]], answers or {}))
    return found
