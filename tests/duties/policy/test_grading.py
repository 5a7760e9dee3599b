"""The yearly grading reference, pure: the pack's weighted score of a year's scorecard, points
for commendations and criticisms, the grade band; and each pack's grading names registered
rates or scores and is checked as a pack file is."""

import tomllib

import pytest

from kefu.core.packs import PackError, get_pack
from kefu.duties.policy.grading import reference
from kefu.duties.policy.pack import Grade, Grading, Weight, duties_for, parse_duties
from kefu.duties.registry import metrics
from kefu.settings import get_settings

GRADING = Grading(
    source="t", note="", note_en="", commendation_points=2, criticism_points=5,
    weights=(Weight("a.rate", 60), Weight("b.score", 40, out_of=20)),
    grades=(Grade("a", "优秀", "Excellent", 90), Grade("b", "良好", "Good", 80), Grade("c", "合格", "OK", 60),
            Grade("d", "待改进", "Needs improvement", 0)),
)


@pytest.mark.parametrize(("values", "praised", "criticised", "score", "grade"), [
    ({"a.rate": 100.0, "b.score": 20.0}, 0, 0, 100.0, "a"),
    ({"a.rate": 90.0, "b.score": 16.0}, 0, 0, 86.0, "b"),  # 0.6*90 + 0.4*80
    ({"a.rate": 90.0, "b.score": 16.0}, 2, 0, 90.0, "a"),  # +2 each
    ({"a.rate": 90.0, "b.score": 16.0}, 0, 1, 81.0, "b"),  # −5 each
    ({"a.rate": 90.0, "b.score": 16.0}, 0, 6, 56.0, "d"),
    ({"a.rate": 70.0, "b.score": None}, 0, 0, 70.0, "c"),  # no score: its weight goes to the rate
    ({"a.rate": 10.0}, 0, 5, 0.0, "d"),  # never below 0
    ({"a.rate": 100.0, "b.score": 30.0}, 9, 0, 100.0, "a"),  # never above 100
    ({"a.rate": 60.0}, 0, 0, 60.0, "c"),  # a band includes its lower bound
])
def test_the_reference_score_and_grade(values, praised, criticised, score, grade):
    found = reference(GRADING, values, praised, criticised)
    assert (found.score, found.grade.code if found.grade else None) == (score, grade)


def test_nobody_without_a_weighted_figure_is_graded():
    found = reference(GRADING, {"other": 100.0}, 3, 0)
    assert (found.weighted, found.score, found.grade) == (None, None, None)
    assert [p.points for p in found.parts] == [None, None]


@pytest.mark.parametrize("kind", ["insurance", "property"])
def test_each_packs_grading_weighs_registered_rates_and_scores(kind):
    grading = duties_for(kind).grading
    assert grading is not None
    known = {m.code: m.unit for m in metrics()}
    for weight in grading.weights:
        assert known.get(weight.metric) in ("percent", "score"), weight.metric
    assert grading.grades[-1].min_score == 0


def test_insurance_weighs_callback_quality_most_as_article_27_says():
    grading = duties_for("insurance").grading
    assert grading is not None and "定级、评薪将参考其回访服务质量" in grading.note
    assert max(grading.weights, key=lambda w: w.weight).metric == "callbacks.quality"
    assert "回访" not in (duties_for("property").grading or grading).source


def _raw():
    return tomllib.loads((get_settings().tenants_dir / "property" / "duties.toml").read_text("utf-8"))


@pytest.mark.parametrize(("change", "key"), [
    (lambda g: g["weights"][0].update(weight=0), "$.grading.weights[0].weight"),
    (lambda g: g["weights"][1].update(metric=g["weights"][0]["metric"]), "$.grading.weights[1].metric"),
    (lambda g: g["grades"][1].update(min_score=95), "$.grading.grades[1].min_score"),
    (lambda g: g["grades"][-1].update(min_score=10), "$.grading.grades[-1].min_score"),
    (lambda g: g["grades"][1].update(code="a"), "$.grading.grades[1].code"),
    (lambda g: g.update(weights=[]), "$.grading.weights"),
    (lambda g: g.update(criticism_points=50), "$.grading"),
])
def test_a_broken_grading_names_the_key(change, key):
    raw = _raw()
    change(raw["grading"])
    with pytest.raises(PackError) as caught:
        parse_duties(raw, "tenants/property/duties.toml", set(get_pack("property").positions))
    assert key in str(caught.value)


@pytest.mark.parametrize(("issued", "count", "expected"), [
    ([], 2, ["PRE_JOB-2026-0001", "PRE_JOB-2026-0002"]),
    (["PRE_JOB-2026-0001", "PRE_JOB-2026-0007"], 1, ["PRE_JOB-2026-0008"]),  # after the highest, gaps stay
    (["PRE_JOB-2025-0009", "PRE_JOB-2026-abc", "OTHER-2026-0005"], 1, ["PRE_JOB-2026-0001"]),  # other years, courses
    (["PRE_JOB-2026-9999"], 1, ["PRE_JOB-2026-10000"]),
    ([], 0, []),
])
def test_certificate_numbers(issued, count, expected):
    from kefu.duties.policy.training import certificate_numbers

    assert certificate_numbers("pre_job", 2026, issued, count) == expected
