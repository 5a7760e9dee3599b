"""The answer page's form read back: the posted fields into answers with an error per question
(nothing guessed, nothing stored from a malformed value), what the form shows again after an
error, and the signed hidden time the form was served.

Form field names: `q_<key>` for a question's value (repeated for a multiple choice),
`q_<key>__other` for its "other" text, `q_<key>__<row>` for a matrix row.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from kefu import i18n
from kefu.core import clock, forms
from kefu.core.errors import FieldError
from kefu.settings import get_settings
from kefu.surveys.policy.answers import visible_questions
from kefu.surveys.policy.definition import (
    NPS_MAX,
    NPS_MIN,
    OTHER,
    RATING_MAX,
    RATING_MIN,
    Definition,
    Question,
)

OTHER_TEXT_LENGTH = 200
HONEYPOT = "website"  # hidden from people; bots fill every input
STARTED = "started"  # the signed time the form was served
ROUND = "round"  # the round the form was served for (services.answering's one-call path)


def field_name(question: Question, part: str = "") -> str:
    return f"q_{question.key}__{part}" if part else f"q_{question.key}"


def _int_in(raw: str, low: int, high: int) -> int | None:
    """A score from the scale, written with (at most three) ASCII digits, no sign."""
    raw = raw.strip()
    value = forms.parse_int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else None
    return value if value is not None and low <= value <= high else None


def _clean_text(raw: str) -> str:
    # A respondent is not sent back over an invisible character: control characters (NUL, which
    # PostgreSQL cannot store, among them) are dropped, and line ends kept as "\n".
    return forms.strip_control(raw).replace("\r", "").strip()


Read = tuple[Any, str | None, str]  # (value or None if unanswered, "other" text, error msgid or "")
Form = Mapping[str, Sequence[str]]


def _read_one(q: Question, form: Form) -> Read:
    raw = [v for v in form.get(field_name(q), []) if v.strip()]
    if q.type == "matrix":
        return _read_matrix(q, form)
    if not raw:
        return None, None, ""
    if q.type in ("single", "multiple"):
        return _read_choice(q, form, raw)
    if q.type in ("rating", "nps"):
        low, high = (RATING_MIN, RATING_MAX) if q.type == "rating" else (NPS_MIN, NPS_MAX)
        value = _int_in(raw[0], low, high) if len(raw) == 1 else None
        if value is None:
            return None, None, i18n.lazy("Choose a score from the scale.")
        return value, None, ""
    if q.type == "text":
        if len(raw) > 1:
            return None, None, i18n.lazy("Enter a valid value.")
        text = _clean_text(raw[0])
        if len(text) > q.max_length:
            return None, None, i18n.lazy("At most %(max)s characters.")
        return (text or None), None, ""
    return None, None, ""


def _read_choice(q: Question, form: Form, raw: list[str]) -> Read:
    allowed = q.option_values()
    if q.type == "single":
        if len(raw) > 1 or raw[0] not in allowed:
            return None, None, i18n.lazy("Choose one of the options.")
        return raw[0], *_other(q, form, [raw[0]])
    if any(v not in allowed for v in raw) or len(raw) > len(allowed):
        return None, None, i18n.lazy("Choose from the options shown.")
    chosen = [v for v in allowed if v in raw]  # the definition's order, no repeats
    return chosen, *_other(q, form, chosen)


def _read_matrix(q: Question, form: Form) -> Read:
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


def _other(q: Question, form: Form, chosen: list[str]) -> tuple[str | None, str]:
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



def form_lists(form: Any) -> dict[str, list[str]]:
    """A submitted form (a multidict, or a mapping of lists or strings) as {name: [strings]}."""
    if hasattr(form, "getall"):
        return {k: [v for v in form.getall(k) if isinstance(v, str)] for k in form.keys()}
    return {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in dict(form).items()}



def prefill(definition: Definition, fields: Mapping[str, Sequence[str]], answers: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows again after an error: the answers read, plus what the respondent
    gave to a question that was refused, as far as it fits the form (the rows of a matrix
    already rated, a free text cut to its limit), so nothing typed or tapped is lost."""
    shown = dict(answers)

    def raw(name: str) -> list[str]:
        return [v for v in fields.get(name, []) if isinstance(v, str) and v.strip()]

    def score(values: list[str], low: int, high: int) -> int | None:
        return _int_in(values[0], low, high) if len(values) == 1 else None

    for q in definition.questions():
        if q.allow_other and f"{q.key}__other" not in shown and (other := raw(field_name(q, "other"))):
            shown[f"{q.key}__other"] = other[0][: OTHER_TEXT_LENGTH]
        if q.key in shown:
            continue
        given = raw(field_name(q))
        if q.type == "text" and given:
            shown[q.key] = given[0][: q.max_length]
        elif q.type == "single" and len(given) == 1 and given[0] in q.option_values():
            shown[q.key] = given[0]
        elif q.type == "multiple" and (chosen := [v for v in q.option_values() if v in given]):
            shown[q.key] = chosen
        elif q.type in ("rating", "nps"):
            low, high = (RATING_MIN, RATING_MAX) if q.type == "rating" else (NPS_MIN, NPS_MAX)
            if (value := score(given, low, high)) is not None:
                shown[q.key] = value
        elif q.type == "matrix":
            rows = {r.key: score(raw(field_name(q, r.key)), RATING_MIN, RATING_MAX) for r in q.rows}
            if rated := {k: v for k, v in rows.items() if v is not None}:
                shown[q.key] = rated
    return shown


# --- the signed start time ------------------------------------------------------------------


def _signature(token: str, stamp: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.digest(key, f"survey-started|{token}|{stamp}".encode(), "sha256").hex()[:32]


def sign_started(token: str, at: datetime | None = None) -> str:
    """The hidden `started` value for a form served now: the time and its HMAC."""
    stamp = str(int((at or clock.now()).timestamp()))
    return f"{stamp}.{_signature(token, stamp)}"


def read_started(token: str, value: str | None) -> datetime | None:
    """The time the form was served, or None if the value is missing, malformed or tampered."""
    if not value or len(value) > 80:
        return None
    stamp, _, signature = value.partition(".")
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 12:
        return None
    if not hmac.compare_digest(signature, _signature(token, stamp)):
        return None
    at = datetime.fromtimestamp(int(stamp), UTC)
    return at if at <= clock.now() else None
