"""Answer rules as plain functions: which questions show (show-if), and whether a response is
valid (有效问卷, A art. 22(4)). Reading the posted form into answers is schemas.answers; the
satisfaction arithmetic is policy.scores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kefu.surveys.policy.definition import Definition, Question, ValidityRules

# Why a response does not count; kept on the row and shown to staff (labels.INVALID_REASON).
INVALID_REASONS = ("missing_required", "too_fast", "straight_lining", "duplicate_customer", "duplicate_household")


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
    hidden is hidden too (conditions only look back, policy.definition.check_definition)."""
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


def missing_required(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    missing: list[str] = []
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
