"""Survey rules as plain functions: which questions show, reading a submitted form into answers,
whether a response is valid (有效问卷), and the satisfaction figures.

Form field names on the answer page: `q_<key>` for a question's value (repeated for a multiple
choice), `q_<key>__other` for its "other" text, `q_<key>__<row>` for a matrix row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.surveys.definition import (
    NPS_MAX,
    NPS_MIN,
    OTHER,
    RATING_MAX,
    RATING_MIN,
    Definition,
    Question,
    ValidityRules,
)

OTHER_TEXT_LENGTH = 200

# Why a response does not count; kept on the row and shown to staff (labels in INVALID_LABELS).
INVALID_REASONS = ("missing_required", "too_fast", "straight_lining", "duplicate_customer", "duplicate_household")
INVALID_LABELS = {
    "missing_required": i18n.lazy("Required questions left unanswered"),
    "too_fast": i18n.lazy("Completed faster than the minimum time"),
    "straight_lining": i18n.lazy("The same score for every rating"),
    "duplicate_customer": i18n.lazy("This customer had already answered"),
    "duplicate_household": i18n.lazy("This household had already answered"),
}


def field_name(question: Question, part: str = "") -> str:
    return f"q_{question.key}__{part}" if part else f"q_{question.key}"


# --- show-if -----------------------------------------------------------------------------


def condition_holds(source: Question, value: Any, question: Question) -> bool:
    cond = question.show_if
    if cond is None:
        return True
    if value is None:
        return False
    if source.type == "single":
        return value in cond.equals
    if source.type == "multiple":
        return any(v in cond.equals for v in value)
    if source.type in ("rating", "nps") and isinstance(value, int):
        low = cond.at_least if cond.at_least is not None else value
        high = cond.at_most if cond.at_most is not None else value
        return low <= value <= high
    return False


def visible_questions(definition: Definition, answers: Mapping[str, Any]) -> list[Question]:
    """The questions a respondent is asked, in order: a question whose condition's source is
    hidden is hidden too (conditions only look back, definition.check_definition)."""
    by_key = {q.key: q for q in definition.questions()}
    shown: list[Question] = []
    shown_keys: set[str] = set()
    for q in definition.questions():
        cond = q.show_if
        if cond is not None:
            if cond.question not in shown_keys:
                continue
            if not condition_holds(by_key[cond.question], answers.get(cond.question), q):
                continue
        shown.append(q)
        shown_keys.add(q.key)
    return shown


# --- reading answers -----------------------------------------------------------------------


def _int_in(raw: str, low: int, high: int) -> int | None:
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 3:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def _clean_text(raw: str) -> str:
    # PostgreSQL cannot store NUL; other control characters but tab and newline are dropped.
    return "".join(ch for ch in raw if ch in "\t\n" or ch >= " " and ch != "\x7f").strip()


def _read_one(q: Question, form: Mapping[str, Sequence[str]]) -> tuple[Any, str | None, str]:
    """(value or None if unanswered, "other" text, error msgid or "")."""
    raw = [v for v in form.get(field_name(q), []) if v.strip()]
    if q.type == "single":
        if not raw:
            return None, None, ""
        if len(raw) > 1 or raw[0] not in q.option_values():
            return None, None, i18n.lazy("Choose one of the options.")
        return raw[0], *_other(q, form, [raw[0]])
    if q.type == "multiple":
        if not raw:
            return None, None, ""
        allowed = q.option_values()
        if any(v not in allowed for v in raw) or len(raw) > len(allowed):
            return None, None, i18n.lazy("Choose from the options shown.")
        chosen = [v for v in allowed if v in raw]  # the definition's order, no repeats
        return chosen, *_other(q, form, chosen)
    if q.type in ("rating", "nps"):
        if not raw:
            return None, None, ""
        low, high = (RATING_MIN, RATING_MAX) if q.type == "rating" else (NPS_MIN, NPS_MAX)
        value = _int_in(raw[0], low, high) if len(raw) == 1 else None
        if value is None:
            return None, None, i18n.lazy("Choose a score from the scale.")
        return value, None, ""
    if q.type == "text":
        text = _clean_text(raw[0]) if len(raw) == 1 else ""
        if len(raw) > 1:
            return None, None, i18n.lazy("Enter a valid value.")
        if len(text) > q.max_length:
            return None, None, i18n.lazy("At most %(max)s characters.")
        return (text or None), None, ""
    if q.type == "matrix":
        scores: dict[str, int] = {}
        for row in q.rows:
            cell = [v for v in form.get(field_name(q, row.key), []) if v.strip()]
            if not cell:
                continue
            value = _int_in(cell[0], RATING_MIN, RATING_MAX) if len(cell) == 1 else None
            if value is None:
                return None, None, i18n.lazy("Choose a score from the scale.")
            scores[row.key] = value
        if q.required and scores and len(scores) < len(q.rows):
            return scores, None, i18n.lazy("Rate every line.")
        return (scores or None), None, ""
    return None, None, ""


def _other(q: Question, form: Mapping[str, Sequence[str]], chosen: list[str]) -> tuple[str | None, str]:
    if not q.allow_other or OTHER not in chosen:
        return None, ""
    raw = form.get(field_name(q, OTHER), [])
    text = _clean_text(raw[0]) if raw else ""
    if not text:
        return None, i18n.lazy("Say what \"other\" is.")
    if len(text) > OTHER_TEXT_LENGTH:
        return None, i18n.lazy("At most %(max)s characters.")
    return text, ""


def read_answers(
    definition: Definition, form: Mapping[str, Sequence[str]], *, enforce_required: bool = True
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """The answers to the questions the respondent was shown, and errors keyed by question key.

    Answers to hidden questions are dropped. Nothing is guessed: a malformed value is an error
    on its question, never silently stored. `enforce_required=False` reads a partial form (the
    live preview) without complaining about what is missing.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    # Conditions look back only, so one pass in order sees every source answer it needs.
    for q in definition.questions():
        value, other, error = _read_one(q, form)
        if error:
            limit = OTHER_TEXT_LENGTH if q.type in ("single", "multiple") else q.max_length
            errors[q.key] = FieldError(q.key, error, max=limit) if "%(max)s" in error else FieldError(q.key, error)
            continue
        if value is not None:
            answers[q.key] = value
            if other is not None:
                answers[f"{q.key}__{OTHER}"] = other
    shown = {q.key for q in visible_questions(definition, answers)}
    answers = {k: v for k, v in answers.items() if k.split("__", 1)[0] in shown}
    errors = {k: e for k, e in errors.items() if k in shown}
    if enforce_required:
        for q in visible_questions(definition, answers):
            if q.required and q.key not in answers and q.key not in errors:
                errors[q.key] = FieldError(q.key, i18n.lazy("This question is required."))
    return answers, errors


def missing_required(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    missing = []
    for q in visible_questions(definition, answers):
        if not q.required:
            continue
        value = answers.get(q.key)
        if value in (None, "", [], {}) or q.type == "matrix" and len(value) < len(q.rows):
            missing.append(q.key)
    return missing


# --- validity --------------------------------------------------------------------------------


def rating_values(definition: Definition, answers: Mapping[str, Any]) -> list[int]:
    """Every 1–5 score given: rating questions and matrix rows, in order."""
    values: list[int] = []
    for q in definition.questions():
        value = answers.get(q.key)
        if q.type == "rating" and isinstance(value, int):
            values.append(value)
        elif q.type == "matrix" and isinstance(value, dict):
            values += [value[r.key] for r in q.rows if isinstance(value.get(r.key), int)]
    return values


def is_straight_lined(definition: Definition, answers: Mapping[str, Any], minimum: int) -> bool:
    if minimum <= 1:
        return False
    values = rating_values(definition, answers)
    return len(values) >= minimum and len(set(values)) == 1


def invalid_reason(
    definition: Definition,
    rules: ValidityRules,
    answers: Mapping[str, Any],
    *,
    duration_seconds: float,
    already_answered: bool = False,
) -> str:
    """"" for a valid response, else the first reason (INVALID_REASONS) it does not count.

    `already_answered`: a valid response of the same customer or household (as `rules.one_per`
    says) is already stored in this round; the caller looks that up.
    """
    if rules.require_required and missing_required(definition, answers):
        return "missing_required"
    if rules.min_seconds and duration_seconds < rules.min_seconds:
        return "too_fast"
    if is_straight_lined(definition, answers, rules.straight_line_min):
        return "straight_lining"
    if already_answered and rules.one_per in ("customer", "household"):
        return f"duplicate_{rules.one_per}"
    return ""


# --- satisfaction ----------------------------------------------------------------------------


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
