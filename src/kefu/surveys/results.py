"""A round's results as plain functions over its frozen Definition and its responses (C.d:
statistics and analysis; A art. 22(4): only valid questionnaires count).

Every figure but the counts is made of VALID responses only; an invalid one is counted with
its reason and nothing else. `Tally` takes responses one at a time, so a round of tens of
thousands is summarised from chunks streamed out of the database without holding them all.

Scores: ratings and matrix rows are 1–5 (their mean is shown as such, and as 0–100 for the
index); NPS is 0–10 with the net promoter score −100..100. The satisfaction index is
rules.satisfaction_index: the mean of each respondent's own index.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kefu import i18n
from kefu.surveys import rules
from kefu.surveys.definition import (
    CHOICE_TYPES,
    NPS_MAX,
    NPS_MIN,
    OTHER,
    RATING_MAX,
    RATING_MIN,
    Definition,
    Question,
)

SMALL_GROUP = 3  # a breakdown group of fewer valid responses is flagged: too few to compare
OTHER_LABEL = i18n.lazy("Other")
OTHER_KEEP = 500  # "other" texts kept per question (the raw export has every one)


def text_in(locale: str, zh: str, en: str = "") -> str:
    """A definition's label in the reader's language: the English one where there is one."""
    return en if locale == "en" and en else zh


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


def _share(count: int, n: int) -> float | None:
    return count / n if n else None


# --- the records the functions read -------------------------------------------------------


@dataclass(frozen=True)
class ResponseRecord:
    """One stored response as the statistics need it (results_queries builds these)."""

    answers: Mapping[str, Any]
    is_valid: bool = True
    invalid_reason: str = ""
    building: str = ""
    segment: str = ""  # the customer's tags, comma-separated
    via: str = "invite"
    id: int | None = None


def segments_of(segment: str) -> list[str]:
    return sorted({s.strip() for s in (segment or "").split(",") if s.strip()})


# --- counts ---------------------------------------------------------------------------------


@dataclass
class Counts:
    invited: int = 0
    responses: int = 0
    valid: int = 0
    via_open: int = 0  # answered through the open link (no invitation)
    reasons: dict[str, int] = field(default_factory=dict)  # invalid reason -> count

    @property
    def invalid(self) -> int:
        return self.responses - self.valid

    @property
    def response_rate(self) -> float | None:
        """Responses ÷ invited (None without invitations: an open-link-only round)."""
        return _share(self.responses, self.invited)

    @property
    def validity_rate(self) -> float | None:
        return _share(self.valid, self.responses)

    def reason_list(self) -> list[tuple[str, int]]:
        """(reason, count), the known reasons in rules.INVALID_REASONS order, then any other."""
        known = [(r, self.reasons[r]) for r in rules.INVALID_REASONS if self.reasons.get(r)]
        rest = sorted((r, n) for r, n in self.reasons.items() if r not in rules.INVALID_REASONS and n)
        return known + rest

    def add(self, record: ResponseRecord) -> None:
        self.responses += 1
        self.via_open += record.via == "open"
        if record.is_valid:
            self.valid += 1
        else:
            reason = record.invalid_reason or "unknown"
            self.reasons[reason] = self.reasons.get(reason, 0) + 1


def counts_from_groups(invited: int, groups: Iterable[Mapping[str, Any]]) -> Counts:
    """Counts from grouped rows {is_valid, invalid_reason, via, count} (results_queries.counts)."""
    counts = Counts(invited=invited)
    for g in groups:
        n = int(g["count"])
        counts.responses += n
        if g.get("via") == "open":
            counts.via_open += n
        if g["is_valid"]:
            counts.valid += n
        else:
            reason = g["invalid_reason"] or "unknown"
            counts.reasons[reason] = counts.reasons.get(reason, 0) + n
    return counts


# --- per-question summaries ----------------------------------------------------------------


@dataclass
class Bar:
    """One bar of a distribution: an option or a score, how many chose it, their share."""

    value: str
    label: str
    count: int
    share: float | None


@dataclass
class ScoreTally:
    low: int
    high: int
    counts: Counter = field(default_factory=Counter)

    def add(self, value: Any) -> bool:
        if isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high:
            self.counts[value] += 1
            return True
        return False

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        return _mean(sum(v * c for v, c in self.counts.items()), self.n)

    def bars(self) -> list[Bar]:
        n = self.n
        return [Bar(str(v), str(v), self.counts[v], _share(self.counts[v], n)) for v in range(self.low, self.high + 1)]


@dataclass
class RowResult:
    key: str
    label: str
    label_en: str
    scores: ScoreTally

    @property
    def n(self) -> int:
        return self.scores.n

    @property
    def mean(self) -> float | None:
        return self.scores.mean


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0  # valid responses that answered it
    choices: Counter = field(default_factory=Counter)
    others: list[str] = field(default_factory=list)
    others_total: int = 0
    scores: ScoreTally | None = None
    rows: list[RowResult] = field(default_factory=list)
    texts: int = 0  # text answers given (the comments list reads them, results_queries)

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def type(self) -> str:
        return self.question.type

    def options(self, locale: str = "zh_CN") -> list[Bar]:
        """Each option (and "other") with its count and its share of those who answered; for a
        multiple choice the shares add up to more than 100%."""
        q = self.question
        bars = [Bar(o.value, text_in(locale, o.label, o.label_en), self.choices[o.value],
                    _share(self.choices[o.value], self.answered)) for o in q.options]
        if q.allow_other:
            bars.append(Bar(OTHER, i18n.gettext(OTHER_LABEL), self.choices[OTHER],
                            _share(self.choices[OTHER], self.answered)))
        return bars

    @property
    def mean(self) -> float | None:
        """Rating: the mean score (1–5); NPS: the mean score (0–10); matrix: the mean of every
        row's score (1–5)."""
        if self.type == "matrix":
            total = sum(v * c for r in self.rows for v, c in r.scores.counts.items())
            return _mean(total, sum(r.n for r in self.rows))
        return self.scores.mean if self.scores is not None else None

    @property
    def nps(self) -> float | None:
        if self.type != "nps" or self.scores is None:
            return None
        return rules.net_promoter_score(self.scores.counts.elements())

    def nps_groups(self) -> tuple[int, int, int]:
        """(detractors 0–6, passives 7–8, promoters 9–10)."""
        c = self.scores.counts if self.scores is not None else Counter()
        return (sum(c[v] for v in range(0, 7)), c[7] + c[8], c[9] + c[10])

    def add(self, answers: Mapping[str, Any]) -> None:
        q, value = self.question, answers.get(self.question.key)
        if value in (None, "", [], {}):
            return
        if q.type in CHOICE_TYPES:
            chosen = value if isinstance(value, list) else [value]
            chosen = [v for v in chosen if isinstance(v, str) and v in q.option_values()]
            if not chosen:
                return
            self.choices.update(chosen)
            other = answers.get(f"{q.key}__{OTHER}")
            if OTHER in chosen and isinstance(other, str) and other.strip():
                self.others_total += 1
                if len(self.others) < OTHER_KEEP:
                    self.others.append(other.strip())
        elif q.type in ("rating", "nps"):
            assert self.scores is not None
            if not self.scores.add(value):
                return
        elif q.type == "matrix":
            if not isinstance(value, dict):
                return
            added = [r.scores.add(value.get(r.key)) for r in self.rows]
            if not any(added):
                return
        elif q.type == "text":
            if not isinstance(value, str) or not value.strip():
                return
            self.texts += 1
        self.answered += 1


def _question_result(q: Question) -> QuestionResult:
    result = QuestionResult(q)
    if q.type == "rating":
        result.scores = ScoreTally(RATING_MIN, RATING_MAX)
    elif q.type == "nps":
        result.scores = ScoreTally(NPS_MIN, NPS_MAX)
    elif q.type == "matrix":
        result.rows = [RowResult(r.key, r.label, r.label_en, ScoreTally(RATING_MIN, RATING_MAX)) for r in q.rows]
    return result


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
        return _mean(self.index_total, self.index_n)

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
        return _mean(self.total, self.n)

    @property
    def index(self) -> float | None:
        return rules.rating_to_percent(self.mean) if self.n else None


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
        """The satisfaction index, 0–100 (rules.satisfaction_index over the valid responses)."""
        return _mean(self.index_total, self.index_n)

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
                                [_question_result(q) for q in definition.questions()],
                                latest=deque(maxlen=keep_comments))

    def add(self, record: ResponseRecord) -> None:
        out = self.out
        out.counts.add(record)
        if not record.is_valid:
            return  # A art. 22(4): kept and counted, but no part of any figure
        answers = record.answers
        for result in out.questions:
            result.add(answers)
        index = rules.response_index(self.definition, answers)
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
    results_queries), text questions in definition order within a response."""
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
