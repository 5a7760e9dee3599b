"""The report's findings for management: the index and its change, the lowest-rated items, the
biggest falls since the previous round, the groups well below the index (small ones left out)."""

from __future__ import annotations

from types import SimpleNamespace

from kefu import i18n
from kefu.surveys.policy.definition import parse_definition
from kefu.surveys.queries import compare as rc
from kefu.surveys.queries import results_view as v
from kefu.surveys.queries import summary as r
from tests.surveys.factories import DEFINITION

D = parse_definition(DEFINITION)


def record(overall: int, cleaning: int, building: str) -> r.ResponseRecord:
    return r.ResponseRecord({"overall": overall, "services": {"front_desk": 4, "cleaning": cleaning, "security": 4}},
                            building=building)


def shown(current: list[r.ResponseRecord], previous: list[r.ResponseRecord] | None = None) -> dict:
    res = r.summarize(D, current)
    comparison = None
    if previous is not None:
        comparison = rc.compare(res, r.summarize(D, previous), previous_round_id=1, previous_title="上半年")
    with i18n.using_locale("en"):
        return v.view(SimpleNamespace(results=res, comparison=comparison), "en")


def test_findings_name_what_to_act_on():
    good = [record(5, 2, "1栋")] * 3
    poor = [record(2, 1, "2栋")] * 3
    few = [record(1, 1, "3栋")] * 2
    data = shown(good + poor + few, previous=[record(4, 4, "1栋")])
    with i18n.using_locale("en"):
        found = v.findings(data, "en")
    assert found[0].startswith("The satisfaction index is ") and "against" in found[0]
    assert "保洁" in found[1] and found[1].startswith("Lowest rated")
    assert "Largest falls" in found[2] and "保洁" in found[2]
    assert "2栋" in found[3] and "3栋" not in found[3]  # 3栋 has fewer than 3 responses


def test_no_findings_without_valid_responses():
    data = shown([])
    with i18n.using_locale("en"):
        assert v.findings(data, "en") == []


def test_answer_text_uses_labels():
    q = D.question("used")
    with i18n.using_locale("en"):
        assert v.answer_text(q, {"used": ["repair", "other"], "used__other": "停车"}, "zh_CN") == "报修, Other (停车)"
    assert v.answer_text(D.question("services"), {"services": {"cleaning": 3}}, "zh_CN") == "保洁 3"
    assert v.answer_text(D.question("overall"), {}, "zh_CN") == ""
