"""The shape of a questionnaire, as stored in SurveyTemplate.definition and frozen into each
SurveyRound: sections of questions, each with a stable key that answers are stored under.

Answer values, per question type, as kefu.surveys.schemas.answers.read_answers stores them:
- single:   "option_value"; with allow_other, "other" plus answers["<key>__other"] = "text"
- multiple: ["a", "b"]; with allow_other, "other" may be among them, text as above
- rating:   1..5
- nps:      0..10
- text:     "free text"
- matrix:   {"row_key": 1..5, ...} (each row a rating)

`parse_definition` is the one gate into this shape: the template editor, the pack loader and
tests all go through it, and it names the question at fault in its error.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import msgspec

from kefu import i18n

QUESTION_TYPES = ("single", "multiple", "rating", "nps", "text", "matrix")
CHOICE_TYPES = ("single", "multiple")
SCORED_TYPES = ("rating", "nps", "matrix")  # the types a satisfaction figure is made of
RATING_MIN, RATING_MAX = 1, 5
NPS_MIN, NPS_MAX = 0, 10
OTHER = "other"  # the option value of "other, please say"
ONE_PER = ("none", "customer", "household")
# Keys never hold "__": form fields join a key and a row or "other" with it (schemas.answers.field_name).
KEY_RE = re.compile(r"^(?=.{1,40}$)[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MAX_QUESTIONS = 200
MAX_TEXT_LENGTH = 5000
S = TypeVar("S", bound=msgspec.Struct)


class Option(msgspec.Struct, forbid_unknown_fields=True):
    value: str
    label: str
    label_en: str = ""


class Row(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    label: str
    label_en: str = ""


class ShowIf(msgspec.Struct, forbid_unknown_fields=True):
    """Show the question only when an earlier question's answer matches: for a choice question,
    any of `equals` chosen; for a rating or NPS, the score within [at_least, at_most]."""

    question: str
    equals: list[str] = []
    at_least: int | None = None
    at_most: int | None = None


class Question(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    type: str
    title: str
    title_en: str = ""
    help: str = ""
    required: bool = False
    options: list[Option] = []
    allow_other: bool = False
    rows: list[Row] = []
    show_if: ShowIf | None = None
    # Counts toward the satisfaction index (rating and matrix questions only).
    in_index: bool = True
    max_length: int = 1000
    # The service the question is about ("cleaning", "security"): results group by it.
    topic: str = ""

    @property
    def is_scored(self) -> bool:
        return self.type in SCORED_TYPES

    def option_values(self) -> list[str]:
        values = [o.value for o in self.options]
        return [*values, OTHER] if self.allow_other and OTHER not in values else values


class Section(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    title: str
    title_en: str = ""
    description: str = ""
    questions: list[Question] = []


class Definition(msgspec.Struct, forbid_unknown_fields=True):
    sections: list[Section] = []
    intro: str = ""
    thanks: str = ""

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)


class ValidityRules(msgspec.Struct, forbid_unknown_fields=True):
    """What makes a response valid (有效问卷, A art. 22(4)); configurable per template."""

    require_required: bool = True  # every required (visible) question answered
    min_seconds: int = 0  # time to complete at least this (0 = no floor)
    # Straight-lining: at least this many ratings answered, all with the same score (0 = off).
    straight_line_min: int = 0
    one_per: str = "none"  # none | customer | household: later answers of the same one are invalid


class DefinitionError(ValueError):
    """A definition that cannot be used; `message` is a msgid, `variables` fill it."""

    def __init__(self, message: str, **variables: Any) -> None:
        super().__init__(message % variables if variables else message)
        self.message = message
        self.variables = variables

    def translated(self) -> str:
        return i18n.gettext(self.message, **self.variables)


def _decode(data: Any, kind: type[S]) -> S:
    if isinstance(data, (str, bytes)):
        data = json.loads(data or "{}")
    return msgspec.convert(data or {}, kind)


def parse_definition(data: Any) -> Definition:
    """A Definition from JSON text or a dict, checked; DefinitionError names what is wrong."""
    try:
        definition = _decode(data, Definition)
    except (msgspec.ValidationError, json.JSONDecodeError, TypeError) as exc:
        raise DefinitionError(i18n.lazy("The questionnaire is not in the expected form: %(detail)s"),
                              detail=str(exc)) from exc
    check_definition(definition)
    return definition


def parse_validity(data: Any) -> ValidityRules:
    try:
        rules = _decode(data, ValidityRules)
    except (msgspec.ValidationError, json.JSONDecodeError, TypeError) as exc:
        raise DefinitionError(i18n.lazy("The validity rules are not in the expected form: %(detail)s"),
                              detail=str(exc)) from exc
    if rules.one_per not in ONE_PER:
        raise DefinitionError(i18n.lazy("Unknown validity rule: one answer per %(value)s."), value=rules.one_per)
    if rules.min_seconds < 0 or rules.straight_line_min < 0:
        raise DefinitionError(i18n.lazy("Validity thresholds cannot be negative."))
    return rules


def check_definition(definition: Definition) -> None:
    questions = definition.questions()
    if not questions:
        raise DefinitionError(i18n.lazy("A questionnaire needs at least one question."))
    if len(questions) > MAX_QUESTIONS:
        raise DefinitionError(i18n.lazy("A questionnaire can have at most %(max)s questions."), max=MAX_QUESTIONS)
    section_keys = [s.key for s in definition.sections]
    if len(set(section_keys)) != len(section_keys):
        raise DefinitionError(i18n.lazy("Two sections have the same key."))
    seen: dict[str, Question] = {}
    for q in questions:
        _check_question(q, seen)
        seen[q.key] = q


def _check_question(q: Question, earlier: dict[str, Question]) -> None:
    if not KEY_RE.match(q.key):
        raise DefinitionError(i18n.lazy("Question key %(key)s: use lower-case letters, digits and single _ (start with a letter)."), key=q.key)
    if q.key in earlier:
        raise DefinitionError(i18n.lazy("Two questions have the key %(key)s."), key=q.key)
    if q.type not in QUESTION_TYPES:
        raise DefinitionError(i18n.lazy("Question %(key)s: unknown type %(type)s."), key=q.key, type=q.type)
    if not q.title.strip():
        raise DefinitionError(i18n.lazy("Question %(key)s has no title."), key=q.key)
    if q.type in CHOICE_TYPES:
        values = [o.value for o in q.options]
        if len(values) < 2:
            raise DefinitionError(i18n.lazy("Question %(key)s needs at least two options."), key=q.key)
        if len(set(values)) != len(values) or any(not v.strip() for v in values):
            raise DefinitionError(i18n.lazy("Question %(key)s: every option needs its own value."), key=q.key)
        if q.allow_other and OTHER in values:
            raise DefinitionError(i18n.lazy("Question %(key)s: the value \"other\" is kept for the free-text option."), key=q.key)
    if q.type == "matrix":
        rows = [r.key for r in q.rows]
        if not rows:
            raise DefinitionError(i18n.lazy("Question %(key)s needs at least one row."), key=q.key)
        if len(set(rows)) != len(rows) or any(not KEY_RE.match(r) for r in rows):
            raise DefinitionError(i18n.lazy("Question %(key)s: every row needs its own key."), key=q.key)
    if q.type == "text" and not 1 <= q.max_length <= MAX_TEXT_LENGTH:
        raise DefinitionError(i18n.lazy("Question %(key)s: the answer length must be 1 to %(max)s."), key=q.key, max=MAX_TEXT_LENGTH)
    if q.show_if is not None:
        _check_show_if(q, earlier)


def _check_show_if(q: Question, earlier: dict[str, Question]) -> None:
    cond = q.show_if
    assert cond is not None
    source = earlier.get(cond.question)
    if source is None:
        raise DefinitionError(i18n.lazy("Question %(key)s is shown depending on %(source)s, which must come before it."),
                              key=q.key, source=cond.question)
    if source.type in CHOICE_TYPES:
        if not cond.equals or any(v not in source.option_values() for v in cond.equals):
            raise DefinitionError(i18n.lazy("Question %(key)s: its condition must name options of %(source)s."),
                                  key=q.key, source=source.key)
    elif source.type in ("rating", "nps"):
        if cond.at_least is None and cond.at_most is None:
            raise DefinitionError(i18n.lazy("Question %(key)s: its condition needs a lowest or highest score."), key=q.key)
    else:
        raise DefinitionError(i18n.lazy("Question %(key)s can only depend on a choice, rating or NPS question."), key=q.key)


def to_json(value: Definition | ValidityRules) -> str:
    return msgspec.json.encode(value).decode()


def to_builtins(value: Definition | ValidityRules) -> dict[str, Any]:
    built: dict[str, Any] = msgspec.to_builtins(value)
    return built
