"""The template editor's cards turned into a Definition and ValidityRules: plain data first
(each line and number read, errors keyed by the card's field), then checked as a whole by
kefu.surveys.policy.definition.parse_*, whose error is put back on the field it is about."""

from __future__ import annotations

from typing import Any

import msgspec

from kefu import i18n
from kefu.core import forms
from kefu.surveys.policy.definition import (
    CHOICE_TYPES,
    ONE_PER,
    Definition,
    DefinitionError,
    ValidityRules,
    parse_definition,
    parse_validity,
)
from kefu.surveys.schemas.editor import MAX_OPTION, MAX_SECTIONS, SPLIT_RE, Editor, QuestionCard


def _choices(text: str, first: str, prefix: str, field_name: str, errors: dict[str, str]) -> list[dict[str, str]]:
    """Lines `value|label[|English]` or `label`: made-up values fill in as prefix1, prefix2…"""
    items: list[dict[str, str]] = []
    for number, line in enumerate(raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 1:
            parts = ["", parts[0]]
        if len(parts) > 3 or not parts[1] or any(len(p) > MAX_OPTION for p in parts):
            errors.setdefault(field_name, i18n.gettext(
                "Line %(n)s: write a label, or value|label (at most %(max)s characters each).",
                n=number + 1, max=MAX_OPTION))
            continue
        items.append({first: parts[0], "label": parts[1], "label_en": parts[2] if len(parts) == 3 else ""})
    taken = {item[first] for item in items}
    n = 1
    for item in items:
        if not item[first]:
            while f"{prefix}{n}" in taken:
                n += 1
            item[first] = f"{prefix}{n}"
            taken.add(item[first])
    return items


def _number(value: str, field_name: str, errors: dict[str, str], *, optional: bool = False) -> int | None:
    value = value.strip()
    if optional and not value:
        return None
    number = forms.parse_int(value) if len(value.lstrip("-")) <= 6 and not value.startswith("+") else None
    if number is None:
        errors.setdefault(field_name, i18n.gettext(forms.NOT_NUMBER))
    return number


def _condition(p: str, q: QuestionCard, earlier: dict[str, QuestionCard], errors: dict[str, str]) -> dict[str, Any] | None:
    if not q.show_if:
        return None
    cond: dict[str, Any] = {"question": q.show_if}
    source = earlier.get(q.show_if)
    if source is not None and source.type in CHOICE_TYPES:
        labels = {}
        for item in _choices(source.options, "value", "o", "-", {}):
            labels[item["label"]] = item["value"]
        wanted = [v.strip() for v in SPLIT_RE.split(q.show_equals) if v.strip()]
        cond["equals"] = [labels.get(v, v) for v in wanted]
    else:
        cond["at_least"] = _number(q.show_at_least, f"{p}.show_at_least", errors, optional=True)
        cond["at_most"] = _number(q.show_at_most, f"{p}.show_at_most", errors, optional=True)
    return cond


def _question(p: str, q: QuestionCard, earlier: dict[str, QuestionCard], errors: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": q.key, "type": q.type, "title": q.title, "title_en": q.title_en, "help": q.help,
        "required": q.required, "in_index": q.in_index, "topic": q.topic,
    }
    if q.type in CHOICE_TYPES:
        out["options"] = _choices(q.options, "value", "o", f"{p}.options", errors)
        out["allow_other"] = q.allow_other
    if q.type == "matrix":
        out["rows"] = _choices(q.rows, "key", "r", f"{p}.rows", errors)
    if q.type == "text":
        out["max_length"] = _number(q.max_length, f"{p}.max_length", errors) or 0
    cond = _condition(p, q, earlier, errors)
    if cond is not None:
        out["show_if"] = cond
    return out


def definition_data(editor: Editor) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The definition and validity as plain data, and the errors found reading the cards (a
    line that is not `value|label`, a number that is not one). Not yet checked as a whole."""
    errors: dict[str, str] = {}
    earlier: dict[str, QuestionCard] = {}
    sections, j = [], 0
    for s in editor.sections:
        questions = []
        for q in s.questions:
            questions.append(_question(f"q{j}", q, earlier, errors))
            earlier.setdefault(q.key, q)
            j += 1
        sections.append({"key": s.key, "title": s.title, "title_en": s.title_en,
                         "description": s.description, "questions": questions})
    definition = {"sections": sections, "intro": editor.intro, "thanks": editor.thanks}
    thresholds = {
        "min_seconds": _number(editor.min_seconds, "min_seconds", errors) or 0,
        "straight_line_min": _number(editor.straight_line_min, "straight_line_min", errors) or 0,
    }
    validity: dict[str, object] = {
        "require_required": editor.require_required, "one_per": editor.one_per, **thresholds,
    }
    if editor.one_per not in ONE_PER:
        errors["one_per"] = i18n.gettext("Choose a value from the list.")
    for name, value in thresholds.items():
        if value < 0 and name not in errors:
            errors[name] = i18n.gettext("Validity thresholds cannot be negative.")
    if len(editor.sections) > MAX_SECTIONS:
        errors["definition"] = i18n.gettext("A questionnaire can have at most %(max)s sections.", max=MAX_SECTIONS)
    for i, s in enumerate(editor.sections):
        if not s.title:
            errors[f"s{i}.title"] = i18n.gettext("This field is required.")
    return definition, validity, errors


# Which field of a question card a DefinitionError is about, from the words of its msgid.
_ERROR_FIELDS = (("Question key", "key"), ("have the key", "key"), ("unknown type", "type"),
                 ("no title", "title"), ("condition", "show_if"), ("depend", "show_if"),
                 ("option", "options"), ("row", "rows"), ("answer length", "max_length"))


def error_field(editor: Editor, exc: DefinitionError) -> str:
    """`q<n>.<field>` for an error about one question, else `definition`."""
    key = exc.variables.get("key")
    where = [n for n, q in enumerate(editor.questions()) if q.key == key]
    if key is None or not where:
        return "definition"
    n = where[-1] if "have the key" in exc.message else where[0]
    suffix = next((f for words, f in _ERROR_FIELDS if words in exc.message), "title")
    return f"q{n}.{suffix}"


def check(editor: Editor) -> tuple[Definition | None, ValidityRules | None, dict[str, str]]:
    """The editor as a checked Definition and ValidityRules, or the errors by field."""
    definition_raw, validity_raw, errors = definition_data(editor)
    if errors:
        return None, None, errors
    try:
        definition = parse_definition(definition_raw)
    except DefinitionError as exc:
        return None, None, {error_field(editor, exc): exc.translated()}
    try:
        validity = parse_validity(validity_raw)
    except DefinitionError as exc:
        return None, None, {"validity": exc.translated()}
    return definition, validity, {}


def draft(editor: Editor) -> Definition | None:
    """The editor as a Definition without the whole-questionnaire checks, for the preview of a
    half-made questionnaire; None if even its shape is wrong."""
    definition_raw, _, _ = definition_data(editor)
    try:
        return msgspec.convert(definition_raw, Definition)
    except msgspec.ValidationError:
        return None
