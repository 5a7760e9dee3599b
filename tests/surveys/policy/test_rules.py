"""Survey rules as plain functions: definition checks, show-if, reading answers, validity and
the satisfaction figures, in table tests (no server, no database)."""

from __future__ import annotations

import pytest

from kefu import i18n
from kefu.surveys import labels
from kefu.surveys.policy import answers as rules
from kefu.surveys.policy import scores as score_rules
from kefu.surveys.policy.definition import (
    DefinitionError,
    ValidityRules,
    parse_definition,
    parse_validity,
)
from kefu.surveys.schemas.answers import read_answers

DEFINITION = {
    "sections": [
        {"key": "main", "title": "服务评价", "questions": [
            {"key": "overall", "type": "rating", "title": "总体满意度", "required": True},
            {"key": "why_low", "type": "text", "title": "哪里不满意？", "max_length": 20,
             "show_if": {"question": "overall", "at_most": 2}},
            {"key": "used", "type": "multiple", "title": "用过哪些服务", "allow_other": True,
             "options": [{"value": "desk", "label": "前台"}, {"value": "repair", "label": "维修"}]},
            {"key": "repair_speed", "type": "rating", "title": "维修及时", "required": True,
             "show_if": {"question": "used", "equals": ["repair"]}},
            {"key": "channel", "type": "single", "title": "渠道",
             "options": [{"value": "phone", "label": "电话"}, {"value": "app", "label": "App"}]},
            {"key": "services", "type": "matrix", "title": "各项服务", "required": True,
             "rows": [{"key": "cleaning", "label": "保洁"}, {"key": "security", "label": "安保"}]},
            {"key": "recommend", "type": "nps", "title": "推荐", "in_index": False},
        ]},
    ],
}


@pytest.fixture()
def definition():
    return parse_definition(DEFINITION)


def form(**fields):
    return {k: v if isinstance(v, list) else [v] for k, v in fields.items()}


# --- definition checks ---------------------------------------------------------------------

def _one(question: dict) -> dict:
    return {"sections": [{"key": "s", "title": "S", "questions": [question]}]}


@pytest.mark.parametrize(
    ("definition", "fragment"),
    [
        ({"sections": []}, "at least one question"),
        (_one({"key": "Bad", "type": "rating", "title": "t"}), "Bad"),
        (_one({"key": "a__b", "type": "rating", "title": "t"}), "a__b"),
        (_one({"key": "a", "type": "slider", "title": "t"}), "slider"),
        (_one({"key": "a", "type": "single", "title": "t", "options": [{"value": "x", "label": "X"}]}), "two options"),
        (_one({"key": "a", "type": "matrix", "title": "t"}), "row"),
        (_one({"key": "a", "type": "rating", "title": " "}), "no title"),
        (_one({"key": "a", "type": "rating", "title": "t", "show_if": {"question": "b", "at_most": 2}}), "before it"),
        (_one({"key": "a", "type": "rating", "title": "t", "colour": "red"}), "colour"),
        ({"sections": [{"key": "s", "title": "S", "questions": [
            {"key": "a", "type": "single", "title": "t", "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}]},
            {"key": "b", "type": "text", "title": "t", "show_if": {"question": "a", "equals": ["z"]}}]}]}, "options of a"),
        ({"sections": [{"key": "s", "title": "S", "questions": [
            {"key": "a", "type": "rating", "title": "t"}, {"key": "a", "type": "rating", "title": "t"}]}]}, "key a"),
    ],
)
def test_bad_definitions_are_refused_naming_the_fault(definition, fragment):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(definition)
    assert fragment in str(caught.value)


def test_validity_rules_are_checked():
    assert parse_validity({"min_seconds": 30, "one_per": "household"}).one_per == "household"
    with pytest.raises(DefinitionError):
        parse_validity({"one_per": "building"})
    with pytest.raises(DefinitionError):
        parse_validity({"min_seconds": -1})


# --- show-if -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("answers", "shown", "hidden"),
    [
        ({"overall": 2}, {"why_low"}, {"repair_speed"}),
        ({"overall": 4}, set(), {"why_low"}),
        ({}, set(), {"why_low", "repair_speed"}),
        ({"used": ["repair"]}, {"repair_speed"}, {"why_low"}),
        ({"used": ["desk", "other"]}, set(), {"repair_speed"}),
    ],
)
def test_show_if(definition, answers, shown, hidden):
    keys = {q.key for q in rules.visible_questions(definition, answers)}
    assert shown <= keys and not (hidden & keys)


# --- reading a form ------------------------------------------------------------------------

def test_a_complete_form_reads_into_typed_answers(definition):
    answers, errors = read_answers(definition, form(
        q_overall="2", q_why_low=" 电梯 <b>坏了</b> ", q_used=["repair", "other"], q_used__other="停车",
        q_repair_speed="3", q_channel="app", q_services__cleaning="4", q_services__security="5",
        q_recommend="9",
    ))
    assert errors == {}
    assert answers == {
        "overall": 2, "why_low": "电梯 <b>坏了</b>", "used": ["repair", "other"], "used__other": "停车",
        "repair_speed": 3, "channel": "app", "services": {"cleaning": 4, "security": 5}, "recommend": 9,
    }


@pytest.mark.parametrize(
    ("fields", "key", "fragment"),
    [
        ({"q_overall": "6"}, "overall", "score"),
        ({"q_overall": "-1"}, "overall", "score"),
        ({"q_overall": "4.5"}, "overall", "score"),
        ({"q_overall": ["4", "5"]}, "overall", "score"),
        ({}, "overall", "required"),
        ({"q_overall": "1", "q_why_low": "长" * 21}, "why_low", "20"),
        ({"q_channel": "fax"}, "channel", "options"),
        ({"q_used": ["desk", "teleport"]}, "used", "options"),
        ({"q_used": ["other"]}, "used", "other"),
        ({"q_used": ["repair"]}, "repair_speed", "required"),
        ({"q_services__security": ""}, "services", "every line"),
        ({"q_services__cleaning": "x"}, "services", "score"),
        ({"q_recommend": "11"}, "recommend", "score"),
    ],
)
def test_bad_answers_are_errors_on_their_question(definition, fields, key, fragment):
    base = {"q_overall": "4", "q_services__cleaning": "4", "q_services__security": "4"}
    _answers, errors = read_answers(definition, form(**{**base, **fields}) if fields else form(q_services__cleaning="4", q_services__security="4"))
    assert key in errors
    with i18n.using_locale("en"):
        assert fragment in errors[key].translated()


def test_answers_to_hidden_questions_are_dropped(definition):
    answers, errors = read_answers(definition, form(
        q_overall="5", q_why_low="should not be kept", q_services__cleaning="4", q_services__security="4"))
    assert errors == {} and "why_low" not in answers


def test_partial_forms_read_without_required_errors(definition):
    answers, errors = read_answers(definition, form(q_overall="3"), enforce_required=False)
    assert answers == {"overall": 3} and errors == {}


def test_nul_and_control_characters_are_removed_from_text(definition):
    answers, _ = read_answers(definition, form(q_overall="1", q_why_low="a\x00b\x07c\nd",
                                                     q_services__cleaning="4", q_services__security="4"))
    assert answers["why_low"] == "abc\nd"


# --- validity ------------------------------------------------------------------------------

VALID = {"overall": 4, "services": {"cleaning": 4, "security": 3}}


@pytest.mark.parametrize(
    ("answers", "validity", "duration", "already", "reason"),
    [
        (VALID, ValidityRules(), 5, False, ""),
        ({"overall": 4}, ValidityRules(), 60, False, "missing_required"),
        ({"overall": 4, "services": {"cleaning": 4}}, ValidityRules(), 60, False, "missing_required"),
        ({"overall": 4}, ValidityRules(require_required=False), 60, False, ""),
        (VALID, ValidityRules(min_seconds=30), 29, False, "too_fast"),
        (VALID, ValidityRules(min_seconds=30), 30, False, ""),
        ({"overall": 4, "services": {"cleaning": 4, "security": 4}}, ValidityRules(straight_line_min=3), 60, False, "straight_lining"),
        ({"overall": 4, "services": {"cleaning": 4, "security": 4}}, ValidityRules(straight_line_min=4), 60, False, ""),
        (VALID, ValidityRules(straight_line_min=3), 60, False, ""),
        (VALID, ValidityRules(one_per="household"), 60, True, "duplicate_household"),
        (VALID, ValidityRules(one_per="customer"), 60, True, "duplicate_customer"),
        (VALID, ValidityRules(one_per="none"), 60, True, ""),
    ],
)
def test_validity(definition, answers, validity, duration, already, reason):
    assert rules.invalid_reason(definition, validity, answers, duration_seconds=duration,
                                already_answered=already) == reason


def test_every_invalid_reason_has_a_label():
    assert set(labels.INVALID_REASON) == set(rules.INVALID_REASONS)


# --- satisfaction --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("responses", "index"),
    [
        ([], None),
        ([{"recommend": 10}], None),  # NPS is not in the index
        ([{"overall": 5}], 100.0),
        ([{"overall": 1}], 0.0),
        ([{"overall": 3}], 50.0),
        # Each respondent weighs the same: (100 + mean(25, 75)) / 2.
        ([{"overall": 5}, {"overall": 2, "services": {"cleaning": 4, "security": 4}}], (100 + (25 + 75 + 75) / 3) / 2),
    ],
)
def test_satisfaction_index(definition, responses, index):
    result = score_rules.satisfaction_index(definition, responses)
    assert result == (pytest.approx(index) if index is not None else None)


@pytest.mark.parametrize(
    ("scores", "nps"),
    [([], None), ([10, 9, 8, 7], 50.0), ([0, 6, 10, 10], 0.0), ([3, 3], -100.0)],
)
def test_net_promoter_score(scores, nps):
    assert score_rules.net_promoter_score(scores) == nps


@pytest.mark.parametrize(("topic", "zh", "en"), [
    ("cleaning", "保洁服务", "Cleaning service"), ("claims", "理赔服务", "Claims service"),
    ("parking", "parking", "parking"),  # a tenant's own topic is shown as written
])
def test_topics_have_names(topic, zh, en):
    from kefu.surveys.labels import topic_label

    with i18n.using_locale("zh_CN"):
        assert topic_label(topic) == zh
    with i18n.using_locale("en"):
        assert topic_label(topic) == en


def test_every_pack_topic_has_a_name():
    from kefu.surveys.labels import TOPICS as TOPIC_LABELS
    from kefu.surveys.queries.templates import pack_templates

    topics = {q.topic for kind in ("property", "insurance") for t in pack_templates(kind)
              for q in t.definition.questions() if q.topic}
    assert topics and topics <= set(TOPIC_LABELS)


@pytest.mark.parametrize(("invited", "responded", "via_open", "rate"), [
    (3, 4, 1, 100.0),  # the demo's 133.3% was the open-link answer counted inside
    (10, 2, 0, 20.0),
    (10, 7, 7, 0.0),  # only open-link answers: no invitee answered
    (0, 5, 5, None),  # an open-link-only round has no response rate
])
def test_the_dashboard_response_rate_counts_invitees_only(invited, responded, via_open, rate):
    from kefu.surveys.policy.rounds import Counts

    counts = Counts(invited=invited, responded=responded, via_open=via_open)
    assert counts.response_rate == rate and counts.invited_responded == responded - via_open
