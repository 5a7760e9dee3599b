"""The template editor's form, as plain functions: a Definition shown as question cards, the
posted cards read back, the editor's buttons (add, move, delete), and the cards turned into a
Definition that kefu.surveys.definition.parse_definition checks.

Field names: `name`, `description`, `intro`, `thanks`; validity `min_seconds`,
`straight_line_min`, `one_per`, `require_required`; section i `s<i>.key|title|title_en|
description`; question j `q<j>.section` (its section's i) and `q<j>.key|type|title|title_en|help|
required|options|allow_other|rows|show_if|show_equals|show_at_least|show_at_most|in_index|
max_length|topic`. Options are one a line, `value|label`, `value|label|English label`, or just a
label (a value is made up); matrix rows alike, `key|label`. `show_if` is the number j of an earlier
question card, so renaming that question's key keeps the condition. Errors are keyed by field name
(`q3.options`), or `definition` / `validity` for the whole questionnaire.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec

from kefu import i18n
from kefu.surveys.definition import (
    CHOICE_TYPES,
    MAX_QUESTIONS,
    ONE_PER,
    QUESTION_TYPES,
    Definition,
    DefinitionError,
    ValidityRules,
    parse_definition,
    parse_validity,
)

SCORE_TYPES = ("rating", "matrix")  # the types in_index applies to
FIELD_RE = re.compile(r"^([sq])(\d{1,4})\.(\w+)$")
SPLIT_RE = re.compile(r"[,，、\n]")
MAX_OPTION = 200
MAX_SECTIONS = 50
TYPE_LABELS = {
    "single": i18n.lazy("Single choice"),
    "multiple": i18n.lazy("Multiple choice"),
    "rating": i18n.lazy("Rating 1–5"),
    "nps": i18n.lazy("Recommendation 0–10 (NPS)"),
    "text": i18n.lazy("Free text"),
    "matrix": i18n.lazy("Matrix of ratings"),
}
ONE_PER_LABELS = {
    "none": i18n.lazy("No limit"),
    "customer": i18n.lazy("One per customer"),
    "household": i18n.lazy("One per household"),
}


@dataclass
class QuestionCard:
    key: str = ""
    type: str = "rating"
    title: str = ""
    title_en: str = ""
    help: str = ""
    required: bool = False
    options: str = ""  # lines
    allow_other: bool = False
    rows: str = ""  # lines
    show_if: str = ""  # the key of the earlier question ("" = always shown)
    show_equals: str = ""
    show_at_least: str = ""
    show_at_most: str = ""
    in_index: bool = True
    max_length: str = "1000"
    topic: str = ""


@dataclass
class SectionCard:
    key: str = ""
    title: str = ""
    title_en: str = ""
    description: str = ""
    questions: list[QuestionCard] = field(default_factory=list)


@dataclass
class Editor:
    name: str = ""
    description: str = ""
    intro: str = ""
    thanks: str = ""
    min_seconds: str = "0"
    straight_line_min: str = "0"
    one_per: str = "none"
    require_required: bool = True
    sections: list[SectionCard] = field(default_factory=list)

    def questions(self) -> list[QuestionCard]:
        return [q for s in self.sections for q in s.questions]


# --- a Definition shown as cards -------------------------------------------------------------


def _lines(items: list[Any], first: str) -> str:
    out = []
    for item in items:
        parts = [getattr(item, first), item.label] + ([item.label_en] if item.label_en else [])
        out.append("|".join(parts))
    return "\n".join(out)


def from_definition(name: str, description: str, definition: Definition, validity: ValidityRules) -> Editor:
    sections = []
    for s in definition.sections:
        cards = []
        for q in s.questions:
            cond = q.show_if
            cards.append(QuestionCard(
                key=q.key, type=q.type, title=q.title, title_en=q.title_en, help=q.help,
                required=q.required, options=_lines(q.options, "value"), allow_other=q.allow_other,
                rows=_lines(q.rows, "key"), show_if=cond.question if cond else "",
                show_equals=", ".join(cond.equals) if cond else "",
                show_at_least="" if cond is None or cond.at_least is None else str(cond.at_least),
                show_at_most="" if cond is None or cond.at_most is None else str(cond.at_most),
                in_index=q.in_index, max_length=str(q.max_length), topic=q.topic,
            ))
        sections.append(SectionCard(s.key, s.title, s.title_en, s.description, cards))
    return Editor(
        name=name, description=description, intro=definition.intro, thanks=definition.thanks,
        min_seconds=str(validity.min_seconds), straight_line_min=str(validity.straight_line_min),
        one_per=validity.one_per, require_required=validity.require_required, sections=sections,
    )


# --- the posted form read back ---------------------------------------------------------------


def _on(value: str | None) -> bool:
    return (value or "") in ("1", "on", "true", "yes")


def from_form(data: Mapping[str, str]) -> Editor:
    """The editor as posted. Cards come in the order of their numbers; a question names its
    section by number, and its condition the number of an earlier card."""
    get = lambda name: (data.get(name) or "").strip()  # noqa: E731
    numbers: dict[str, set[int]] = {"s": set(), "q": set()}
    for name in data:
        m = FIELD_RE.match(name)
        if m:
            numbers[m.group(1)].add(int(m.group(2)))
    # One card past the limits is kept, so the check still says there are too many.
    section_numbers = sorted(numbers["s"])[:MAX_SECTIONS + 1]
    numbers["q"] = set(sorted(numbers["q"])[:MAX_QUESTIONS + 1])
    sections = [SectionCard(get(f"s{i}.key"), get(f"s{i}.title"), get(f"s{i}.title_en"), get(f"s{i}.description"))
                for i in section_numbers]
    if not sections:
        sections = [SectionCard("s1", "")]
    keys = {j: get(f"q{j}.key") for j in numbers["q"]}
    for j in sorted(numbers["q"]):
        p = f"q{j}"
        ref = get(f"{p}.show_if")
        card = QuestionCard(
            key=keys[j], type=get(f"{p}.type"), title=get(f"{p}.title"), title_en=get(f"{p}.title_en"),
            help=get(f"{p}.help"), required=_on(data.get(f"{p}.required")), options=get(f"{p}.options"),
            allow_other=_on(data.get(f"{p}.allow_other")), rows=get(f"{p}.rows"),
            show_if=keys.get(int(ref), ref) if ref.isdigit() and len(ref) < 5 else ref,
            show_equals=get(f"{p}.show_equals"), show_at_least=get(f"{p}.show_at_least"),
            show_at_most=get(f"{p}.show_at_most"), in_index=_on(data.get(f"{p}.in_index")),
            max_length=get(f"{p}.max_length") or "1000", topic=get(f"{p}.topic"),
        )
        where = get(f"{p}.section")
        index = section_numbers.index(int(where)) if where.isdigit() and int(where) in section_numbers else 0
        sections[index].questions.append(card)
    return Editor(
        name=get("name"), description=get("description"), intro=get("intro"), thanks=get("thanks"),
        min_seconds=get("min_seconds") or "0", straight_line_min=get("straight_line_min") or "0",
        one_per=get("one_per") or "none", require_required=_on(data.get("require_required")),
        sections=sections,
    )


# --- the editor's buttons --------------------------------------------------------------------


def _new_key(editor: Editor, prefix: str = "q") -> str:
    taken = {q.key for q in editor.questions()} | {s.key for s in editor.sections}
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def new_question(editor: Editor, qtype: str) -> QuestionCard:
    card = QuestionCard(key=_new_key(editor), type=qtype, in_index=qtype in SCORE_TYPES)
    if qtype in CHOICE_TYPES:
        card.options = "\n".join(i18n.gettext("Option %(n)s", n=n) for n in (1, 2))
    elif qtype == "matrix":
        card.rows = "\n".join(i18n.gettext("Item %(n)s", n=n) for n in (1, 2))
    return card


def _positions(editor: Editor) -> list[tuple[int, int]]:
    return [(i, k) for i, s in enumerate(editor.sections) for k in range(len(s.questions))]


def apply_action(editor: Editor, action: str) -> Editor:
    """One button of the editor: `add:<section>:<type>`, `up:<n>`, `down:<n>`, `delete:<n>`
    (n counts questions from 0 across sections), `add_section`, `delete_section:<i>`. A
    question moved past the top or bottom of its section joins the neighbouring section.
    Anything else changes nothing."""
    editor = replace(editor, sections=[replace(s, questions=list(s.questions)) for s in editor.sections])
    verb, _, arg = action.partition(":")
    where, _, qtype = arg.partition(":")
    n = int(where) if where.isdigit() and len(where) < 5 else -1
    spots = _positions(editor)
    if verb == "add" and 0 <= n < len(editor.sections) and qtype in QUESTION_TYPES:
        if len(spots) < MAX_QUESTIONS:
            editor.sections[n].questions.append(new_question(editor, qtype))
    elif verb == "add_section" and len(editor.sections) < MAX_SECTIONS:
        editor.sections.append(SectionCard(key=_new_key(editor, "s"), title=""))
    elif verb == "delete_section" and 0 <= n < len(editor.sections) and len(editor.sections) > 1:
        del editor.sections[n]
    elif verb in ("up", "down", "delete") and 0 <= n < len(spots):
        i, k = spots[n]
        questions = editor.sections[i].questions
        if verb == "delete":
            del questions[k]
        elif verb == "up" and k > 0:
            questions[k - 1], questions[k] = questions[k], questions[k - 1]
        elif verb == "up" and i > 0:
            editor.sections[i - 1].questions.append(questions.pop(k))
        elif verb == "down" and k < len(questions) - 1:
            questions[k + 1], questions[k] = questions[k], questions[k + 1]
        elif verb == "down" and i < len(editor.sections) - 1:
            editor.sections[i + 1].questions.insert(0, questions.pop(k))
    return editor


def focus_after(editor: Editor, action: str) -> int | None:
    """The card to put the cursor on after `action` (the editor as it now is): the question
    just added, or the one just moved (so pressing the same button again moves it further)."""
    verb, _, arg = action.partition(":")
    where = arg.partition(":")[0]
    n = int(where) if where.isdigit() and len(where) < 5 else -1
    count = len(editor.questions())
    if verb == "add" and 0 <= n < len(editor.sections) and editor.sections[n].questions:
        return sum(len(s.questions) for s in editor.sections[: n + 1]) - 1
    if verb in ("up", "down") and 0 <= n < count:
        return max(0, min(count - 1, n - 1 if verb == "up" else n + 1))
    return None


# --- cards into a Definition -----------------------------------------------------------------


def _choices(text: str, first: str, prefix: str, field_name: str, errors: dict[str, str]) -> list[dict]:
    """Lines `value|label[|English]` or `label`: made-up values fill in as prefix1, prefix2…"""
    items: list[dict] = []
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
    if not re.fullmatch(r"-?\d{1,6}", value):
        errors.setdefault(field_name, i18n.gettext("Enter a whole number."))
        return None
    return int(value)


def _condition(p: str, q: QuestionCard, earlier: dict[str, QuestionCard], errors: dict[str, str]) -> dict | None:
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


def _question(p: str, q: QuestionCard, earlier: dict[str, QuestionCard], errors: dict[str, str]) -> dict:
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


def definition_data(editor: Editor) -> tuple[dict, dict, dict[str, str]]:
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
    validity = {
        "require_required": editor.require_required, "one_per": editor.one_per,
        "min_seconds": _number(editor.min_seconds, "min_seconds", errors) or 0,
        "straight_line_min": _number(editor.straight_line_min, "straight_line_min", errors) or 0,
    }
    if editor.one_per not in ONE_PER:
        errors["one_per"] = i18n.gettext("Choose a value from the list.")
    for name in ("min_seconds", "straight_line_min"):
        if validity[name] < 0 and name not in errors:
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
