"""A round against the one before it (C.d's analysis: what got better, what got worse), over
two queries.summary results of valid responses."""

from __future__ import annotations

from dataclasses import dataclass

from kefu.surveys.policy.definition import Question
from kefu.surveys.queries.summary import RoundResults


@dataclass(frozen=True)
class Delta:
    key: str  # question key, or "key.row" for a matrix row
    question: Question
    row_label: str
    row_label_en: str
    current: float
    previous: float
    is_nps: bool = False

    @property
    def change(self) -> float:
        return self.current - self.previous


@dataclass(frozen=True)
class Comparison:
    previous_round_id: int
    previous_title: str
    previous_index: float | None
    current_index: float | None
    deltas: list[Delta]

    @property
    def index_change(self) -> float | None:
        if self.current_index is None or self.previous_index is None:
            return None
        return self.current_index - self.previous_index


def compare(current: RoundResults, previous: RoundResults, *, previous_round_id: int,
            previous_title: str) -> Comparison:
    """Index and per-question changes against the previous round of the same template. Only
    questions asked in both (same key and type; a matrix row by its key) are compared."""
    before = previous.means()
    deltas = []
    for key, value in current.means().items():
        qkey, _, row_key = key.partition(".")
        q, old_q = current.definition.question(qkey), previous.definition.question(qkey)
        if q is None or old_q is None or old_q.type != q.type or key not in before:
            continue
        row = next((r for r in q.rows if r.key == row_key), None)
        deltas.append(Delta(key, q, row.label if row else "", row.label_en if row else "",
                            value, before[key], q.type == "nps"))
    return Comparison(previous_round_id, previous_title, previous.index, current.index, deltas)
