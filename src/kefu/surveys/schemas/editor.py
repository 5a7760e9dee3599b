"""The template editor's form, as plain functions: a Definition shown as question cards, the
posted cards read back, and the editor's buttons (add, move, delete). editor_check turns the
cards into a Definition that kefu.surveys.policy.definition.parse_definition checks.

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

from kefu import i18n
from kefu.surveys.policy.definition import (
    CHOICE_TYPES,
    MAX_QUESTIONS,
    QUESTION_TYPES,
    Definition,
    ValidityRules,
)

SCORE_TYPES = ("rating", "matrix")  # the types in_index applies to
FIELD_RE = re.compile(r"^([sq])([0-9]{1,4})\.(\w+)$")
SPLIT_RE = re.compile(r"[,，、\n]")
MAX_OPTION = 200
MAX_SECTIONS = 50


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


def _number(text: str) -> int:
    """A card's or section's number as the form writes it (ASCII digits), else -1."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 5 else -1


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
            show_if=keys.get(_number(ref), ref) if _number(ref) >= 0 else ref,
            show_equals=get(f"{p}.show_equals"), show_at_least=get(f"{p}.show_at_least"),
            show_at_most=get(f"{p}.show_at_most"), in_index=_on(data.get(f"{p}.in_index")),
            max_length=get(f"{p}.max_length") or "1000", topic=get(f"{p}.topic"),
        )
        where = get(f"{p}.section")
        index = section_numbers.index(_number(where)) if _number(where) in section_numbers else 0
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
    n = _number(where)
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
    n = _number(where)
    count = len(editor.questions())
    if verb == "add" and 0 <= n < len(editor.sections) and editor.sections[n].questions:
        return sum(len(s.questions) for s in editor.sections[: n + 1]) - 1
    if verb in ("up", "down") and 0 <= n < count:
        return max(0, min(count - 1, n - 1 if verb == "up" else n + 1))
    return None
