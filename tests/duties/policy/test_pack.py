"""The duty sets in the packs: every seed position and item, and errors naming file and key."""

import tomllib

import pytest

from kefu.core.packs import PackError, get_pack
from kefu.duties.policy.pack import duties_for, load_duties, parse_duties
from kefu.settings import get_settings

SEED = {
    "insurance": {"ops_head", "cs_head", "agent", "qa", "sales", "cs_manager"},
    "property": {"manager", "assistant_manager", "relations_supervisor", "front_desk"},
}


@pytest.mark.parametrize("kind", sorted(SEED))
def test_every_seed_position_has_a_duty_set_of_a_pack_position(kind):
    pack = duties_for(kind)
    assert set(pack.sets) == SEED[kind]
    assert set(pack.sets) <= set(get_pack(kind).positions)


def test_document_b_and_c_items_are_all_there_as_written():
    pack = duties_for("property")
    assert [d.code for d in pack.duties_of("manager")] == [f"b_{c}" for c in "abcdefghijklmnopqrstu"]
    assert [d.code for d in pack.duties_of("relations_supervisor")] == [f"c_{c}" for c in "abcdefghijklmnop"]
    assert pack.duties_of("assistant_manager") == pack.duties_of("manager")
    survey = pack.duty("c_d")[1]
    assert survey.text == "每半年至少进行一次客户意见调查,统计、分析、报告调查结果。"
    assert (survey.recurrence, survey.evidence, survey.record) == ("half_yearly", "record", "surveys.half_year_round")


def test_document_a_articles_are_all_there():
    pack = duties_for("insurance")
    codes = {d.code for s in pack.sets.values() for d in s.duties}
    assert {f"a4_{i}" for i in range(1, 6)} <= codes
    assert {f"a5_{i}" for i in range(1, 8)} <= codes
    assert {"a20", "a22_1", "a22_2", "a22_3", "a22_4_survey", "a22_4_analysis", "a22_5", "a7_qa", "a8_qa_report"} <= codes
    assert pack.training_of(["agent"]) == ["pre_job"]
    assert pack.training_of(["admin"]) == []


def _raw(kind="property"):
    return tomllib.loads((get_settings().tenants_dir / kind / "duties.toml").read_text("utf-8"))


POSITIONS = set(get_pack("property").positions)


@pytest.mark.parametrize(("change", "key"), [
    (lambda r: r["duty_sets"][0].update(position="janitor"), "$.duty_sets[0].position"),
    (lambda r: r["duty_sets"][0]["duties"][3].update(recurrence="fortnightly"), "$.duty_sets[0].duties[3].recurrence"),
    (lambda r: r["duty_sets"][0]["duties"][3].pop("evidence"), "$.duty_sets[0].duties[3].evidence"),
    (lambda r: r["duty_sets"][2].update(training=["nope"]), "$.duty_sets[2].training"),
    (lambda r: r["duty_sets"][0].update(department="x"), "$.duty_sets[0].department"),
    (lambda r: r["duty_sets"][0]["duties"][1].update(code="b_a"), "$.duty_sets[0].duties[1].code"),
    (lambda r: r["duty_sets"][2]["duties"][3].update(record="units.nope"), "$.duty_sets[2].duties[3].record"),
    (lambda r: r["duty_sets"][0]["duties"][0].update(colour="red"), "duties[0]"),
    (lambda r: r["courses"][0].update(valid_months="12"), "$.courses[0].valid_months"),
])
def test_a_broken_pack_names_file_and_key(change, key):
    raw = _raw()
    change(raw)
    with pytest.raises(PackError) as caught:
        parse_duties(raw, "tenants/property/duties.toml", POSITIONS)
    assert "tenants/property/duties.toml" in str(caught.value)
    assert key in str(caught.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(PackError, match="duties.toml: file missing"):
        load_duties(tmp_path)
