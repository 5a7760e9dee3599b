"""Survey results on the performance scorecard (issue 12, through kefu.duties.registry): each
person's mean satisfaction over the period's valid responses, on the services (question topics)
their positions cover as tenants/<kind>/survey_coverage.toml says; invalid responses and other
periods do not count; someone covering nothing shows no figure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kefu.core.packs import PackError
from kefu.db import transaction
from kefu.duties.registry import metrics
from kefu.surveys.policy.coverage import coverage_for, load_coverage
from kefu.surveys.tables import SurveyResponse
from tests.surveys import factories as surveys

ROLES = {"admin": "admin", "mgr": "manager", "sup": "relations_supervisor", "desk": "front_desk"}
DEFINITION = {"sections": [
    {"key": "desk", "title": "前台", "questions": [
        {"key": "desk", "type": "rating", "title": "前台服务", "topic": "front_desk"}]},
    {"key": "cleaning", "title": "保洁", "questions": [
        {"key": "cleaning", "type": "rating", "title": "保洁", "topic": "cleaning"}]},
    {"key": "overall", "title": "总体", "questions": [
        {"key": "overall", "type": "rating", "title": "总体满意度", "topic": "overall"}]},
]}


def _cell(page: str, person: int) -> str:
    row = page.split(f'id="person-{person}"')[1].split("</tr>")[0]
    return row.split('data-metric="surveys.satisfaction">')[1].split("</td>")[0]


async def test_each_person_sees_the_satisfaction_of_what_they_cover(make_staff, frozen_clock):
    frozen_clock.travel(datetime(2026, 11, 20, 4, 0, tzinfo=UTC))
    staff = await make_staff("property", ROLES, locale="zh_CN")
    template = await surveys.template(staff.tenant, definition=DEFINITION)
    running = await surveys.survey_round(staff.tenant, template)
    await surveys.response(staff.tenant, running, {"desk": 5, "cleaning": 1, "overall": 4})
    await surveys.response(staff.tenant, running, {"desk": 3, "cleaning": 5, "overall": 2})
    await surveys.response(staff.tenant, running, {"desk": 1, "cleaning": 1, "overall": 1}, is_valid=False,
                           invalid_reason="too_fast")
    october = await surveys.response(staff.tenant, running, {"desk": 1, "cleaning": 1, "overall": 1})
    async with transaction(staff.tenant.id):
        await SurveyResponse.update({SurveyResponse.submitted_at: datetime(2026, 10, 31, 15, 0, tzinfo=UTC)}).where(
            SurveyResponse.id == october.id)
    page = (await (await staff.client("admin")).get(staff.url("/duties/scorecards/?period=2026-11"))).text
    assert "所负责服务的客户满意度" in page
    # The front desk: desk ratings 5 and 3 → 100 and 50; the manager: overall 4 and 2 → 75 and 25;
    # the supervisor: desk and overall together, 4.5 and 2.5 → 87.5 and 37.5.
    assert _cell(page, staff.users["desk"].id) == "75.0"
    assert _cell(page, staff.users["mgr"].id) == "50.0"
    assert _cell(page, staff.users["sup"].id) == "62.5"
    assert _cell(page, staff.users["admin"].id) == "–"
    # October's response (23:00 on 31 October, Shanghai time) is October's.
    october_page = (await (await staff.client("admin")).get(staff.url("/duties/scorecards/?period=2026-10"))).text
    assert _cell(october_page, staff.users["desk"].id) == "0.0"
    # Another tenant's responses never count.
    other = await make_staff("property", {"admin": "admin", "desk": "front_desk"})
    page = (await (await other.client("admin")).get(other.url("/duties/scorecards/?period=2026-11"))).text
    assert _cell(page, other.users["desk"].id) == "–"


def test_the_metric_is_registered_from_the_surveys_side():
    found = {m.code: m for m in metrics()}["surveys.satisfaction"]
    assert found.unit == "score" and found.compute.__module__ == "kefu.surveys.scorecard"


def test_each_pack_covers_its_own_positions():
    assert coverage_for("property")["front_desk"] == {"front_desk", "fees"}
    assert "sales" in coverage_for("insurance")["sales"] and "front_desk" not in coverage_for("insurance")


def test_a_broken_coverage_file_names_the_key(tmp_path):
    (tmp_path / "survey_coverage.toml").write_text('[[covers]]\nposition = "pilot"\ntopics = ["x"]\n', "utf-8")
    with pytest.raises(PackError, match=r"\$\.covers\[0\]\.position"):
        load_coverage(tmp_path, ["front_desk"])
    (tmp_path / "survey_coverage.toml").write_text('[[covers]]\nposition = "front_desk"\ntopics = []\n', "utf-8")
    with pytest.raises(PackError, match=r"\$\.covers\[0\]\.topics"):
        load_coverage(tmp_path, ["front_desk"])
    assert load_coverage(tmp_path / "nowhere", ["front_desk"]) == {}
