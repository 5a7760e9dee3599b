"""A round's figures, the parts: the records the statistics read, the counts by validity, and
each question's summary (distribution, mean, NPS). Plain functions and small classes, no I/O;
queries.summary adds them up over a whole round (C.d: statistics and analysis; A art. 22(4):
only valid questionnaires count).

Scores: ratings and matrix rows are 1–5 (their mean is shown as such, and as 0–100 for the
index); NPS is 0–10 with the net promoter score −100..100.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kefu import i18n
from kefu.surveys.policy.answers import INVALID_REASONS
from kefu.surveys.policy.definition import (
    CHOICE_TYPES,
    NPS_MAX,
    NPS_MIN,
    OTHER,
    RATING_MAX,
    RATING_MIN,
    Question,
)
from kefu.surveys.policy.scores import net_promoter_score

SMALL_GROUP = 3  # a breakdown group of fewer valid responses is flagged: too few to compare
OTHER_LABEL = i18n.lazy("Other")
OTHER_KEEP = 500  # "other" texts kept per question (the raw export has every one)


def text_in(locale: str, zh: str, en: str = "") -> str:
    """A definition's label in the reader's language: the English one where there is one."""
    return en if locale == "en" and en else zh


def mean_of(total: float, n: int) -> float | None:
    return total / n if n else None


def _share(count: int, n: int) -> float | None:
    return count / n if n else None


# --- the records the functions read -------------------------------------------------------


@dataclass(frozen=True)
class ResponseRecord:
    """One stored response as the statistics need it (queries.results builds these)."""

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
    def invited_responses(self) -> int:
        return self.responses - self.via_open

    @property
    def response_rate(self) -> float | None:
        """Invitees' responses ÷ invited (None without invitations: an open-link-only round);
        open-link answers are counted beside it (`via_open`), never inside it."""
        return _share(self.invited_responses, self.invited)

    @property
    def validity_rate(self) -> float | None:
        return _share(self.valid, self.responses)

    def reason_list(self) -> list[tuple[str, int]]:
        """(reason, count), the known reasons in INVALID_REASONS order, then any other."""
        known = [(r, self.reasons[r]) for r in INVALID_REASONS if self.reasons.get(r)]
        rest = sorted((r, n) for r, n in self.reasons.items() if r not in INVALID_REASONS and n)
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
    """Counts from grouped rows {is_valid, invalid_reason, via, count} (queries.results.counts)."""
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
        return mean_of(sum(v * c for v, c in self.counts.items()), self.n)

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
    texts: int = 0  # text answers given (the comments list reads them, queries.results)

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
            return mean_of(total, sum(r.n for r in self.rows))
        return self.scores.mean if self.scores is not None else None

    @property
    def nps(self) -> float | None:
        if self.type != "nps" or self.scores is None:
            return None
        return net_promoter_score(self.scores.counts.elements())

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


def question_result(q: Question) -> QuestionResult:
    result = QuestionResult(q)
    if q.type == "rating":
        result.scores = ScoreTally(RATING_MIN, RATING_MAX)
    elif q.type == "nps":
        result.scores = ScoreTally(NPS_MIN, NPS_MAX)
    elif q.type == "matrix":
        result.rows = [RowResult(r.key, r.label, r.label_en, ScoreTally(RATING_MIN, RATING_MAX)) for r in q.rows]
    return result
