"""The yearly grading reference (A art. 27: 客服人员每年度的定级、评薪将参考其回访服务质量; B.f,
C.n), pure: from a person's scorecard of the year, the pack's weighted score, the points for
commendations and criticisms, and the grade band it falls in. A metric the person has no figure
for leaves the score (its weight goes to the others); nobody with no weighted figure at all gets
a grade."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kefu.duties.policy.pack import Grade, Grading


@dataclass(frozen=True)
class Part:
    metric: str
    weight: int
    value: float | None  # the figure as the scorecard shows it; None: no figure this year
    points: float | None  # out of 100


@dataclass(frozen=True)
class Reference:
    parts: tuple[Part, ...]
    weighted: float | None  # the weighted mean of the parts with a figure, out of 100
    adjustment: float  # + commendations, − criticisms
    score: float | None  # weighted + adjustment, held to 0..100
    grade: Grade | None


def reference(grading: Grading, values: Mapping[str, float | None], commendations: int,
              criticisms: int) -> Reference:
    parts = []
    for w in grading.weights:
        value = values.get(w.metric)
        points = None if value is None else max(0.0, min(100.0, 100.0 * value / w.out_of))
        parts.append(Part(w.metric, w.weight, value, points))
    counted = [p for p in parts if p.points is not None]
    adjustment = commendations * grading.commendation_points - criticisms * grading.criticism_points
    if not counted:
        return Reference(tuple(parts), None, adjustment, None, None)
    weighted = sum(p.weight * (p.points or 0.0) for p in counted) / sum(p.weight for p in counted)
    score = round(max(0.0, min(100.0, weighted + adjustment)), 1)
    grade = next(g for g in grading.grades if score >= g.min_score)  # the last starts at 0
    return Reference(tuple(parts), round(weighted, 1), adjustment, score, grade)
