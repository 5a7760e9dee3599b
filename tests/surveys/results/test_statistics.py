"""The round statistics as plain functions (kefu.surveys.results), in table tests: no server,
no database. Only valid responses count; invalid ones are counted with their reason only."""

from __future__ import annotations

import copy

import pytest

from kefu.surveys.policy import scores as rules
from kefu.surveys.policy.definition import parse_definition
from kefu.surveys.queries import compare as rc
from kefu.surveys.queries import summary as r
from kefu.surveys.queries import tally
from tests.surveys.factories import DEFINITION

A = r.ResponseRecord({"overall": 4, "services": {"front_desk": 5, "cleaning": 3, "security": 4}, "channel": "phone",
                      "recommend": 9, "comments": "保洁可以再加强"}, building="1栋", segment="业主,老人")
B = r.ResponseRecord({"overall": 2, "why_low": "电梯常坏", "services": {"front_desk": 2, "cleaning": 2, "security": 3},
                      "used": ["repair", "other"], "used__other": "停车", "channel": "visit", "recommend": 5},
                     building="2栋", segment="业主")
C = r.ResponseRecord({"overall": 5, "services": {"front_desk": 5, "cleaning": 5, "security": 5}, "used": ["fees"],
                      "recommend": 10}, building="1栋", via="open")
# Invalid (too fast): kept and counted with its reason, in no other figure.
D = r.ResponseRecord({"overall": 1, "services": {"front_desk": 1, "cleaning": 1, "security": 1}, "recommend": 0,
                      "comments": "<script>alert(1)</script>", "channel": "phone"},
                     is_valid=False, invalid_reason="too_fast", building="3栋", segment="租户")


@pytest.fixture()
def definition():
    return parse_definition(DEFINITION)


@pytest.fixture()
def res(definition):
    return r.summarize(definition, [A, B, C, D], invited=10)


def test_counts_and_rates(res):
    c = res.counts
    assert (c.invited, c.responses, c.valid, c.invalid, c.via_open) == (10, 4, 3, 1, 1)
    assert c.response_rate == pytest.approx(0.3)  # 3 invitees of 10; the open-link answer is beside it
    assert c.validity_rate == pytest.approx(0.75)
    assert c.reason_list() == [("too_fast", 1)]


@pytest.mark.parametrize(("invited", "groups", "expected"), [
    (0, [], (None, None, 0)),
    (4, [{"is_valid": True, "invalid_reason": "", "via": "invite", "count": 3},
         {"is_valid": False, "invalid_reason": "straight_lining", "via": "open", "count": 1}], (0.75, 0.75, 1)),
    # The demo's case: 3 invited, all answered, and 1 through the poster: 100%, never 133.3%.
    (3, [{"is_valid": True, "invalid_reason": "", "via": "invite", "count": 3},
         {"is_valid": True, "invalid_reason": "", "via": "open", "count": 1}], (1.0, 1.0, 1)),
    (0, [{"is_valid": True, "invalid_reason": "", "via": "open", "count": 5}], (None, 1.0, 5)),
])
def test_counts_from_grouped_rows(invited, groups, expected):
    c = tally.counts_from_groups(invited, groups)
    assert (c.response_rate, c.validity_rate, c.via_open) == expected


def test_the_invalid_response_is_in_no_figure(res):
    assert res.question("overall").answered == 3
    assert res.question("overall").scores.counts[1] == 0
    assert "3栋" not in res.buildings and "租户" not in res.segments


def test_rating_distribution_and_mean(res):
    overall = res.question("overall")
    assert [(b.value, b.count) for b in overall.scores.bars()] == [("1", 0), ("2", 1), ("3", 0), ("4", 1), ("5", 1)]
    assert overall.mean == pytest.approx(11 / 3)
    assert overall.scores.bars()[1].share == pytest.approx(1 / 3)


def test_satisfaction_index_is_the_rules_index_of_the_valid_responses(res, definition):
    # A: 4,5,3,4 -> 4 -> 75; B: 2,2,2,3 -> 2.25 -> 31.25; C: all 5 -> 100 (NPS is not in the index)
    assert res.index == pytest.approx((75 + 31.25 + 100) / 3)
    assert res.index == pytest.approx(rules.satisfaction_index(definition, [A.answers, B.answers, C.answers]))
    assert res.index_n == 3


def test_nps_distribution_and_score(res):
    nps = res.question("recommend")
    assert nps.nps == pytest.approx(100 / 3)  # promoters 9, 10; detractor 5; D's 0 left out
    assert nps.nps_groups() == (1, 0, 2)
    assert nps.mean == pytest.approx(8)
    assert len(nps.scores.bars()) == 11


def test_matrix_rows(res):
    m = res.question("services")
    rows = {row.key: row for row in m.rows}
    assert rows["front_desk"].mean == pytest.approx(4)
    assert rows["cleaning"].mean == pytest.approx(10 / 3)
    assert rows["security"].scores.counts == {4: 1, 3: 1, 5: 1}
    assert m.mean == pytest.approx(34 / 9)
    assert m.answered == 3


def test_choices_with_other(res):
    used = res.question("used")
    assert used.answered == 2
    bars = {b.value: (b.count, b.share) for b in used.options()}
    assert bars == {"repair": (1, 0.5), "fees": (1, 0.5), "other": (1, 0.5)}
    assert used.others == ["停车"] and used.others_total == 1
    channel = res.question("channel")
    assert {b.value: b.count for b in channel.options()} == {"phone": 1, "visit": 1}


def test_option_labels_follow_the_locale():
    definition = copy.deepcopy(DEFINITION)
    definition["sections"][1]["questions"][1]["options"][0]["label_en"] = "Phone"
    res = r.summarize(parse_definition(definition), [A])
    assert [b.label for b in res.question("channel").options("en")] == ["Phone", "上门"]
    assert [b.label for b in res.question("channel").options("zh_CN")] == ["电话", "上门"]


def test_text_answers_and_comments(res, definition):
    assert res.question("comments").texts == 1
    comments = r.comments_of(definition, [(1, A), (2, B), (3, C), (4, D)])
    assert [(c.response_id, c.question_key, c.text) for c in comments] == [
        (1, "comments", "保洁可以再加强"), (2, "why_low", "电梯常坏")]


def test_breakdown_by_building_flags_small_groups(res):
    one, two = res.building_list()
    assert (one.name, one.n, one.index, one.small) == ("1栋", 2, pytest.approx(87.5), True)
    assert (two.name, two.n, two.index) == ("2栋", 1, pytest.approx(31.25))


def test_breakdown_by_segment_counts_each_tag(res):
    groups = {g.name: g for g in res.segment_list()}
    assert groups["业主"].n == 2 and groups["业主"].index == pytest.approx((75 + 31.25) / 2)
    assert groups["老人"].n == 1
    assert groups[""].n == 1  # C has no tag: "not given", listed last
    assert res.segment_list()[-1].name == ""


def test_a_big_group_is_not_small(definition):
    res = r.summarize(definition, [A, A, A])
    assert res.building_list()[0].small is False


def test_topic_means():
    definition = copy.deepcopy(DEFINITION)
    questions = definition["sections"][0]["questions"]
    questions[0]["topic"] = "总体"
    questions[2]["topic"] = "服务"
    res = r.summarize(parse_definition(definition), [A, B, C, D])
    topics = {t.name: t for t in res.topic_list()}
    assert topics["服务"].mean == pytest.approx(34 / 9)
    assert topics["服务"].n == 9
    assert topics["总体"].index == pytest.approx(rules.rating_to_percent(11 / 3))


def test_empty_round(definition):
    res = r.summarize(definition, [], invited=0)
    assert res.index is None and res.counts.response_rate is None and res.counts.validity_rate is None
    assert res.question("overall").mean is None and res.question("recommend").nps is None
    assert res.building_list() == []


def test_malformed_stored_answers_are_ignored(definition):
    odd = r.ResponseRecord({"overall": "4", "services": "x", "used": "fees", "channel": "nope", "recommend": 11})
    res = r.summarize(definition, [odd])
    assert res.question("overall").answered == 0
    assert res.question("services").answered == 0
    assert res.question("used").choices["fees"] == 1  # a bare value read as one choice
    assert res.question("channel").answered == 0
    assert res.question("recommend").answered == 0


def test_comparison_with_the_previous_round(res, definition):
    before = r.ResponseRecord({"overall": 3, "services": {"front_desk": 3, "cleaning": 3, "security": 3}, "recommend": 7})
    previous = r.summarize(definition, [before])
    cmp = rc.compare(res, previous, previous_round_id=7, previous_title="上半年")
    assert cmp.previous_index == pytest.approx(50)
    assert cmp.index_change == pytest.approx((75 + 31.25 + 100) / 3 - 50)
    deltas = {d.key: d for d in cmp.deltas}
    assert deltas["overall"].change == pytest.approx(11 / 3 - 3)
    assert deltas["services.cleaning"].change == pytest.approx(10 / 3 - 3)
    assert deltas["services"].change == pytest.approx(34 / 9 - 3)
    assert deltas["recommend"].is_nps and deltas["recommend"].change == pytest.approx(100 / 3)


def test_comparison_skips_questions_not_asked_alike(res):
    changed = copy.deepcopy(DEFINITION)
    changed["sections"][0]["questions"][0] = {"key": "overall", "type": "nps", "title": "变了"}
    changed["sections"][0]["questions"][1].pop("show_if")
    previous = r.summarize(parse_definition(changed), [r.ResponseRecord({"overall": 9, "services": {"cleaning": 4}})])
    keys = {d.key for d in rc.compare(res, previous, previous_round_id=1, previous_title="x").deltas}
    assert "overall" not in keys and "services.cleaning" in keys and "services.front_desk" not in keys


def test_tally_in_chunks_equals_one_pass(definition):
    records = [A, B, C, D] * 5
    tally = r.Tally(definition, 40)
    for start in range(0, len(records), 3):
        tally.add_all(records[start:start + 3])
    whole = r.summarize(definition, records, 40)
    assert tally.results().index == pytest.approx(whole.index)
    assert tally.results().counts == whole.counts


def test_the_newest_comments_are_kept_while_tallying(definition):
    records = [r.ResponseRecord({**A.answers, "comments": f"第{i}条"}, id=i) for i in range(1, 6)]
    records.append(r.ResponseRecord({**A.answers, "comments": "无效的"}, is_valid=False, id=6))
    res = r.Tally(definition, keep_comments=2).add_all(records).results()
    assert res.comments_total == 5
    assert [(c.response_id, c.text) for c in res.latest_comments()] == [(5, "第5条"), (4, "第4条")]
    assert r.summarize(definition, records).latest_comments() == []
