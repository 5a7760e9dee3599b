"""The satisfaction arithmetic: a respondent's index, the round's index, the net promoter score.
Plain functions over answers (the shapes of policy.definition)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kefu.surveys.policy.definition import RATING_MAX, RATING_MIN, Definition


def rating_to_percent(score: float) -> float:
    """1–5 onto 0–100: 1 is 0, 3 is 50, 5 is 100."""
    return (score - RATING_MIN) / (RATING_MAX - RATING_MIN) * 100


def response_index(definition: Definition, answers: Mapping[str, Any]) -> float | None:
    """One respondent's satisfaction, 0–100: the mean of their index ratings (rating questions
    and matrix rows marked in_index), or None if they gave none."""
    values: list[int] = []
    for q in definition.questions():
        if not q.in_index:
            continue
        value = answers.get(q.key)
        if q.type == "rating" and isinstance(value, int):
            values.append(value)
        elif q.type == "matrix" and isinstance(value, dict):
            values += [v for v in value.values() if isinstance(v, int)]
    return rating_to_percent(sum(values) / len(values)) if values else None


def satisfaction_index(definition: Definition, responses: Iterable[Mapping[str, Any]]) -> float | None:
    """The round's satisfaction index, 0–100: the mean of respondents' indexes (each respondent
    weighs the same however many questions they answered); None with no scored response."""
    indexes = [i for i in (response_index(definition, a) for a in responses) if i is not None]
    return sum(indexes) / len(indexes) if indexes else None


def net_promoter_score(scores: Iterable[int]) -> float | None:
    """NPS, −100..100: % promoters (9–10) − % detractors (0–6); None with no score."""
    values = list(scores)
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return (promoters - detractors) * 100 / len(values)
