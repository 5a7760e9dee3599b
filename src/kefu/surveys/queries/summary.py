"""A round's results as a whole, over its frozen Definition and its responses: the index, the
topics, the breakdowns by building and segment, the newest comments.

Every figure but the counts is made of VALID responses only; an invalid one is counted with
its reason and nothing else. `Tally` takes responses one at a time, so a round of tens of
thousands is summarised from chunks streamed out of the database without holding them all.
The satisfaction index is policy.scores.satisfaction_index: the mean of each respondent's own
index.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kefu.surveys.policy.definition import RATING_MAX, RATING_MIN, Definition, Question
from kefu.surveys.policy.scores import rating_to_percent, response_index
from kefu.surveys.queries.tally import (
    SMALL_GROUP,
    Counts,
    QuestionResult,
    ResponseRecord,
    mean_of,
    question_result,
    segments_of,
)

# --- groups: topics, buildings, segments ---------------------------------------------------


@dataclass
class Group:
    """A breakdown line: the valid responses of one building or segment, and their index."""

    name: str  # "" = not given
    n: int = 0
    index_total: float = 0.0
    index_n: int = 0

    @property
    def index(self) -> float | None:
        return mean_of(self.index_total, self.index_n)

    @property
    def small(self) -> bool:
        return self.n < SMALL_GROUP


@dataclass
class Topic:
    """The service a set of questions is about ("cleaning"): the mean of their 1–5 scores."""

    name: str
    total: int = 0
    n: int = 0

    @property
    def mean(self) -> float | None:
        return mean_of(self.total, self.n)

    @property
    def index(self) -> float | None:
        mean = self.mean
        return rating_to_percent(mean) if mean is not None else None


def _scores_of(q: Question, value: Any) -> list[int]:
    if q.type == "rating" and isinstance(value, int) and RATING_MIN <= value <= RATING_MAX:
        return [value]
    if q.type == "matrix" and isinstance(value, dict):
        return [v for r in q.rows if isinstance(v := value.get(r.key), int) and RATING_MIN <= v <= RATING_MAX]
    return []


# --- the whole round -----------------------------------------------------------------------


@dataclass
class RoundResults:
    definition: Definition
    counts: Counts
    questions: list[QuestionResult]
    index_total: float = 0.0
    index_n: int = 0  # valid respondents who gave at least one index score
    topics: dict[str, Topic] = field(default_factory=dict)
    buildings: dict[str, Group] = field(default_factory=dict)
    segments: dict[str, Group] = field(default_factory=dict)
    comments_total: int = 0
    latest: deque = field(default_factory=deque)  # the last `keep_comments` comments seen

    @property
    def index(self) -> float | None:
        """The satisfaction index, 0–100 (policy.scores.satisfaction_index over the valid responses)."""
        return mean_of(self.index_total, self.index_n)

    def question(self, key: str) -> QuestionResult | None:
        return next((r for r in self.questions if r.key == key), None)

    def latest_comments(self) -> list[Comment]:
        """The newest comments first (responses are added oldest first)."""
        return list(reversed(self.latest))

    def topic_list(self) -> list[Topic]:
        return sorted(self.topics.values(), key=lambda t: t.name)

    def building_list(self) -> list[Group]:
        return _group_order(self.buildings)

    def segment_list(self) -> list[Group]:
        return _group_order(self.segments)

    def means(self) -> dict[str, float]:
        """Comparable figures by key: rating and matrix means (1–5), each matrix row's as
        "key.row", and an NPS question's score (−100..100)."""
        found: dict[str, float] = {}
        for r in self.questions:
            if r.type in ("rating", "matrix") and r.mean is not None:
                found[r.key] = r.mean
            if r.type == "nps" and r.nps is not None:
                found[r.key] = r.nps
            for row in r.rows:
                if row.mean is not None:
                    found[f"{r.key}.{row.key}"] = row.mean
        return found


def _group_order(groups: Mapping[str, Group]) -> list[Group]:
    """Named groups by name, "not given" last."""
    return sorted(groups.values(), key=lambda g: (g.name == "", g.name))


class Tally:
    """Summarises a round one response at a time: `add` each, then `results()`."""

    def __init__(self, definition: Definition, invited: int = 0, keep_comments: int = 0) -> None:
        self.definition = definition
        self.scored = [q for q in definition.questions() if q.topic and q.type in ("rating", "matrix")]
        self.text_keys = [q.key for q in definition.questions() if q.type == "text"]
        self.out = RoundResults(definition, Counts(invited=invited),
                                [question_result(q) for q in definition.questions()],
                                latest=deque(maxlen=keep_comments))

    def add(self, record: ResponseRecord) -> None:
        out = self.out
        out.counts.add(record)
        if not record.is_valid:
            return  # A art. 22(4): kept and counted, but no part of any figure
        answers = record.answers
        for result in out.questions:
            result.add(answers)
        index = response_index(self.definition, answers)
        if index is not None:
            out.index_total += index
            out.index_n += 1
        for q in self.scored:
            values = _scores_of(q, answers.get(q.key))
            if values:
                topic = out.topics.setdefault(q.topic, Topic(q.topic))
                topic.total += sum(values)
                topic.n += len(values)
        self._group(out.buildings, (record.building or "").strip(), index)
        for name in segments_of(record.segment) or [""]:
            self._group(out.segments, name, index)
        for key in self.text_keys:
            text = answers.get(key)
            if isinstance(text, str) and text.strip():
                out.comments_total += 1
                if out.latest.maxlen:
                    out.latest.append(Comment(key, text.strip(), record.building, record.id))

    @staticmethod
    def _group(groups: dict[str, Group], name: str, index: float | None) -> None:
        group = groups.setdefault(name, Group(name))
        group.n += 1
        if index is not None:
            group.index_total += index
            group.index_n += 1

    def add_all(self, records: Iterable[ResponseRecord]) -> Tally:
        for record in records:
            self.add(record)
        return self

    def results(self) -> RoundResults:
        return self.out


def summarize(definition: Definition, records: Iterable[ResponseRecord], invited: int = 0) -> RoundResults:
    return Tally(definition, invited).add_all(records).results()


# --- free-text comments --------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    question_key: str
    text: str
    building: str
    response_id: int | None = None


def comments_of(definition: Definition, records: Iterable[tuple[int | None, ResponseRecord]]) -> list[Comment]:
    """Every free-text answer of the valid responses, in the order given (the newest first from
    queries.results), text questions in definition order within a response."""
    text_keys = [q.key for q in definition.questions() if q.type == "text"]
    found = []
    for response_id, record in records:
        if not record.is_valid:
            continue
        for key in text_keys:
            value = record.answers.get(key)
            if isinstance(value, str) and value.strip():
                found.append(Comment(key, value.strip(), record.building, response_id))
    return found
