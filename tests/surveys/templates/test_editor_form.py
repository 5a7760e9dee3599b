"""The editor form as plain functions: cards read back from the posted fields, the editor's
buttons, option and row lines, show-if, and the errors it names (by field, by question)."""

from __future__ import annotations

import pytest

from kefu import i18n
from kefu.surveys.policy.definition import parse_definition, parse_validity, to_builtins
from kefu.surveys.queries.templates import pack_templates
from kefu.surveys.schemas import editor as tf
from kefu.surveys.schemas import editor_check
from tests.surveys.factories import DEFINITION
from tests.surveys.templates.support import editor_fields


@pytest.fixture(autouse=True)
def english():
    with i18n.using_locale("en"):
        yield


def _editor(definition=DEFINITION) -> tf.Editor:
    return tf.from_definition("满意度调查", "", parse_definition(definition), parse_validity({}))


def _posted(editor: tf.Editor, **over: str) -> tf.Editor:
    return tf.from_form(editor_fields(editor) | over)


def _keys(editor: tf.Editor) -> list[list[str]]:
    return [[q.key for q in s.questions] for s in editor.sections]


@pytest.mark.parametrize("template", [*pack_templates("property"), *pack_templates("insurance")], ids=lambda t: t.key)
def test_a_pack_template_comes_back_unchanged_through_the_form(template):
    editor = tf.from_definition(template.name, template.description, template.definition, template.validity)
    definition, validity, errors = editor_check.check(tf.from_form(editor_fields(editor)))
    assert errors == {}
    assert to_builtins(definition) == to_builtins(template.definition)
    assert validity == template.validity


@pytest.mark.parametrize("lines, expected", [
    ("是\n否", [("o1", "是", ""), ("o2", "否", "")]),
    ("yes|是\nno|否", [("yes", "是", ""), ("no", "否", "")]),
    ("yes|是|Yes\nno|否|No", [("yes", "是", "Yes"), ("no", "否", "No")]),
    ("o2|甲\n乙\n丙", [("o2", "甲", ""), ("o1", "乙", ""), ("o3", "丙", "")]),
    ("\n 满意 \n\n不满意\n", [("o1", "满意", ""), ("o2", "不满意", "")]),
    ("|空值\n有值", [("o1", "空值", ""), ("o2", "有值", "")]),
])
def test_option_lines_become_options(lines, expected):
    editor = _editor()
    editor.sections[1].questions[1].options = lines  # "channel", a single choice
    definition, _, errors = editor_check.check(_posted(editor))
    assert errors == {}
    got = [(o.value, o.label, o.label_en) for o in definition.question("channel").options]
    assert got == expected


@pytest.mark.parametrize("lines, message", [
    ("", "at least two options"),
    ("只有一个", "at least two options"),
    ("a|甲\na|乙", "its own value"),
    ("a|b|c|d\n乙", "Line 1"),
    ("x|\n乙", "Line 1"),
])
def test_bad_option_lines_name_the_question_and_field(lines, message):
    editor = _editor()
    editor.sections[1].questions[1].options = lines
    definition, _, errors = editor_check.check(_posted(editor))
    assert definition is None
    assert list(errors) == ["q4.options"]  # channel is the fifth card
    assert message in errors["q4.options"]


@pytest.mark.parametrize("lines, expected", [
    ("前台\n保洁", [("r1", "前台"), ("r2", "保洁")]),
    ("front|前台\n保洁", [("front", "前台"), ("r1", "保洁")]),
])
def test_matrix_row_lines_become_rows(lines, expected):
    editor = _editor()
    editor.sections[0].questions[2].rows = lines
    definition, _, errors = editor_check.check(_posted(editor))
    assert errors == {}
    assert [(r.key, r.label) for r in definition.question("services").rows] == expected


def test_a_matrix_without_rows_or_with_a_bad_row_key_is_refused_at_its_rows():
    for lines in ("", "Front Desk|前台"):
        editor = _editor()
        editor.sections[0].questions[2].rows = lines
        assert list(editor_check.check(_posted(editor))[2]) == ["q2.rows"]


@pytest.mark.parametrize("action, expected", [
    ("up:1", [["why_low", "overall", "services"], ["used", "channel", "recommend", "comments"]]),
    ("down:0", [["why_low", "overall", "services"], ["used", "channel", "recommend", "comments"]]),
    ("down:2", [["overall", "why_low"], ["services", "used", "channel", "recommend", "comments"]]),
    ("up:3", [["overall", "why_low", "services", "used"], ["channel", "recommend", "comments"]]),
    ("up:0", [["overall", "why_low", "services"], ["used", "channel", "recommend", "comments"]]),
    ("down:6", [["overall", "why_low", "services"], ["used", "channel", "recommend", "comments"]]),
    ("delete:2", [["overall", "why_low"], ["used", "channel", "recommend", "comments"]]),
    ("delete:99", [["overall", "why_low", "services"], ["used", "channel", "recommend", "comments"]]),
    ("delete_section:0", [["used", "channel", "recommend", "comments"]]),
    ("add:5:rating", [["overall", "why_low", "services"], ["used", "channel", "recommend", "comments"]]),
    ("add:0:sparkle", [["overall", "why_low", "services"], ["used", "channel", "recommend", "comments"]]),
    ("nonsense", [["overall", "why_low", "services"], ["used", "channel", "recommend", "comments"]]),
])
def test_move_and_delete_buttons(action, expected):
    assert _keys(tf.apply_action(_posted(_editor()), action)) == expected


def test_the_buttons_leave_the_editor_they_were_given_unchanged():
    editor = _posted(_editor())
    tf.apply_action(editor, "delete:0")
    assert _keys(editor)[0] == ["overall", "why_low", "services"]


@pytest.mark.parametrize("qtype", ["single", "multiple", "rating", "nps", "text", "matrix"])
def test_add_a_question_of_each_type(qtype):
    editor = tf.apply_action(_posted(_editor()), f"add:1:{qtype}")
    added = editor.sections[1].questions[-1]
    assert (added.type, added.key, added.title) == (qtype, "q1", "")
    assert added.in_index == (qtype in ("rating", "matrix"))
    assert bool(added.options) == (qtype in ("single", "multiple"))
    assert bool(added.rows) == (qtype == "matrix")
    # Once it has a title, the questionnaire with it is valid.
    added.title = "新的问题"
    definition, _, errors = editor_check.check(tf.from_form(editor_fields(editor)))
    assert errors == {} and definition.question("q1").type == qtype


def test_a_new_question_before_its_title_is_written_names_its_title():
    editor = tf.apply_action(_posted(_editor()), "add:0:rating")
    assert editor_check.check(editor)[2].keys() == {"q3.title"}


def test_add_and_delete_sections():
    editor = tf.apply_action(_posted(_editor()), "add_section")
    assert [s.key for s in editor.sections] == ["service", "more", "s1"]
    assert editor_check.check(editor)[2] == {"s2.title": "This field is required."}
    editor.sections[2].title = "新部分"
    editor = tf.apply_action(tf.from_form(editor_fields(editor)), "add:2:text")
    assert _keys(editor)[2] == ["q1"]
    one = tf.apply_action(tf.apply_action(editor, "delete_section:2"), "delete_section:1")
    assert _keys(one) == [["overall", "why_low", "services"]]
    assert _keys(tf.apply_action(one, "delete_section:0")) == _keys(one)  # the last one stays


def test_show_if_follows_its_source_when_the_source_is_renamed():
    fields = editor_fields(_editor())
    assert fields["q1.show_if"] == "0"  # why_low depends on card 0, overall
    editor = tf.from_form(fields | {"q0.key": "overall_score"})
    definition, _, errors = editor_check.check(editor)
    assert errors == {}
    assert definition.question("why_low").show_if.question == "overall_score"


@pytest.mark.parametrize("equals, expected", [
    ("phone", ["phone"]),
    ("电话", ["phone"]),
    ("电话，上门", ["phone", "visit"]),
    ("phone, visit", ["phone", "visit"]),
])
def test_show_if_on_a_choice_takes_labels_or_values(equals, expected):
    editor = _editor()
    editor.sections[1].questions[2].show_if = "channel"  # recommend shown for some channels
    editor.sections[1].questions[2].show_equals = equals
    definition, _, errors = editor_check.check(_posted(editor))
    assert errors == {}
    assert definition.question("recommend").show_if.equals == expected


@pytest.mark.parametrize("low, high, expected", [("", "2", (None, 2)), ("4", "", (4, None)), ("2", "3", (2, 3))])
def test_show_if_on_a_score_takes_its_bounds(low, high, expected):
    editor = _posted(_editor(), **{"q1.show_at_least": low, "q1.show_at_most": high})
    definition, _, errors = editor_check.check(editor)
    assert errors == {}
    cond = definition.question("why_low").show_if
    assert (cond.at_least, cond.at_most) == expected


@pytest.mark.parametrize("over, field, words", [
    ({"q1.show_if": "5"}, "q1.show_if", "why_low"),  # card 5 (recommend) comes later
    ({"q1.show_if": "comments"}, "q1.show_if", "comments"),
    ({"q1.show_at_least": "", "q1.show_at_most": ""}, "q1.show_if", "why_low"),
    ({"q1.show_at_most": "two"}, "q1.show_at_most", "whole number"),
    ({"q6.show_if": "4", "q6.show_equals": "fax"}, "q6.show_if", "comments"),
    ({"q0.key": "Overall Score!"}, "q0.key", "Overall Score!"),
    ({"q0.key": ""}, "q0.key", "Question key"),
    ({"q2.key": "overall"}, "q2.key", "overall"),
    ({"q0.type": "slider"}, "q0.type", "slider"),
    ({"q0.title": " "}, "q0.title", "overall"),
    ({"q6.max_length": "99999"}, "q6.max_length", "comments"),
    ({"q6.max_length": "长"}, "q6.max_length", "whole number"),
    ({"min_seconds": "-5"}, "min_seconds", "negative"),
    ({"straight_line_min": "many"}, "straight_line_min", "whole number"),
    ({"one_per": "building"}, "one_per", "list"),
])
def test_errors_name_the_field_and_the_question(over, field, words):
    definition, validity, errors = editor_check.check(_posted(_editor(), **over))
    assert definition is None and validity is None
    assert field in errors, errors
    assert words in errors[field]


def test_a_questionnaire_without_questions_is_an_error_of_the_whole():
    editor = tf.apply_action(tf.apply_action(tf.apply_action(_posted(_editor()), "delete_section:1"),
                                             "delete:0"), "delete:0")
    editor = tf.apply_action(editor, "delete:0")
    assert _keys(editor) == [[]]
    assert list(editor_check.check(editor)[2]) == ["definition"]


def test_validity_settings_come_from_the_form():
    fields = editor_fields(_editor()) | {"min_seconds": "45", "straight_line_min": "6", "one_per": "household"}
    fields.pop("require_required")  # the box cleared
    _, validity, errors = editor_check.check(tf.from_form(fields))
    assert errors == {}
    assert (validity.min_seconds, validity.straight_line_min, validity.one_per, validity.require_required) == (
        45, 6, "household", False)


def test_a_draft_shows_even_when_the_whole_is_not_valid_yet():
    editor = tf.apply_action(_posted(_editor()), "add:0:single")
    assert editor_check.check(editor)[0] is None
    draft = editor_check.draft(editor)
    assert draft is not None and draft.question("q1").type == "single"


@pytest.mark.parametrize("action, focus", [
    ("add:0:text", 3), ("add:1:rating", 7), ("up:3", 2), ("up:0", 0), ("down:2", 3), ("down:6", 6),
    ("delete:1", None), ("add_section", None), ("add:9:text", None),
])
def test_the_cursor_goes_to_the_card_just_added_or_moved(action, focus):
    editor = tf.apply_action(_posted(_editor()), action)
    assert tf.focus_after(editor, action) == focus
