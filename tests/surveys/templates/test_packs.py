"""The packs' survey templates (tenants/<kind>/surveys/*.toml) load through the same checks as any
definition, and a broken file fails loudly naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.core.packs import PackError
from kefu.surveys.queries.templates import (
    _pack_templates,
    load_pack_template,
    pack_template,
    pack_templates,
)

ROOT = Path(__file__).resolve().parents[2]


def _by_key(kind: str, key: str):
    return {q.key: q for q in pack_template(kind, key).definition.questions()}


def test_property_half_year_survey_covers_the_services_of_the_seed():
    (template,) = [t for t in pack_templates("property") if t.key == "property_half_year"]
    assert template.name == "物业服务半年度满意度调查"
    titles = [s.title for s in template.definition.sections]
    for service in ("前台接待", "收费与账单", "保洁", "安保", "维修", "社区活动", "总体评价"):
        assert service in titles
    topics = {q.topic for q in template.definition.questions() if q.topic}
    assert {"front_desk", "fees", "cleaning", "security", "maintenance", "events", "overall"} <= topics
    assert template.validity.min_seconds == 30
    assert template.validity.straight_line_min == 8
    assert template.validity.one_per == "household"


@pytest.mark.parametrize("kind, key", [("property", "property_half_year"), ("insurance", "insurance_satisfaction")])
def test_pack_survey_has_overall_follow_up_nps_usage_and_comments(kind, key):
    q = _by_key(kind, key)
    assert q["overall"].type == "rating" and q["overall"].required and q["overall"].in_index
    assert q["overall_low"].type == "text"
    assert q["overall_low"].show_if.question == "overall" and q["overall_low"].show_if.at_most == 2
    assert q["recommend"].type == "nps" and not q["recommend"].in_index
    assert q["services_used"].type == "multiple" and q["services_used"].allow_other
    assert q["comments"].type == "text" and not q["comments"].required
    # Enough ratings for the straight-lining rule to bite.
    ratings = sum(len(x.rows) if x.type == "matrix" else 1 for x in q.values() if x.type in ("rating", "matrix"))
    assert ratings >= 8
    # Every scored question says which service it is about, so results group by it.
    assert all(x.topic for x in q.values() if x.type in ("rating", "matrix"))


def test_insurance_satisfaction_survey_covers_claims_policy_hotline_complaints_and_sales():
    (template,) = pack_templates("insurance")
    assert template.key == "insurance_satisfaction" and template.name == "客户满意度调查"
    titles = [s.title for s in template.definition.sections]
    for service in ("理赔服务", "保全服务", "客服热线", "投诉处理", "销售行为"):
        assert service in titles
    assert template.validity.one_per == "customer"
    q = _by_key("insurance", "insurance_satisfaction")
    assert q["complaint_handling"].show_if.equals == ["yes"]
    assert set(q["sales_details"].show_if.equals) == {"partly", "no"}


def test_every_pack_survey_file_loads():
    for path in sorted(ROOT.glob("tenants/*/surveys/*.toml")):
        template = load_pack_template(path, path.parents[1].name)
        assert template.definition.questions()


@pytest.mark.parametrize("content, words", [
    ('name = "坏"\n[definition]\n[[definition.sections]]\nkey = "a"\ntitle = "A"\n'
     '[[definition.sections.questions]]\nkey = "later_ref"\ntype = "text"\ntitle = "T"\n'
     'show_if = { question = "overall", at_most = 2 }\n', "later_ref"),
    ('name = "坏"\n[definition]\n[[definition.sections]]\nkey = "a"\ntitle = "A"\n'
     '[[definition.sections.questions]]\nkey = "pick"\ntype = "single"\ntitle = "T"\noptions = []\n', "pick"),
    ('name = "坏"\n[validity]\none_per = "building"\n[definition]\n[[definition.sections]]\nkey = "a"\n'
     'title = "A"\n[[definition.sections.questions]]\nkey = "x"\ntype = "rating"\ntitle = "T"\n', "building"),
    ('name = "坏"\nsurprise = 1\n', "surprise"),
    ('name = "坏\n', "not valid TOML"),
])
def test_a_broken_pack_file_fails_naming_the_file(tmp_path, content, words):
    folder = tmp_path / "property" / "surveys"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text(content, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        _pack_templates(tmp_path, "property")
    assert str(folder / "broken.toml") in str(caught.value)
    assert words in str(caught.value)


def test_a_kind_without_surveys_has_no_pack_templates(tmp_path):
    assert _pack_templates(tmp_path, "property") == ()
