"""The demo surveys, dated from the day they are loaded: the last half-year's round closed with
about forty answers (some invalid, with their reasons) and its analysis followed up by
improvement actions (done, open, overdue), the half-year schedule, a round open now and one
scheduled for next week; loading twice adds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kefu.core import clock
from kefu.core.scoping import scoped, scoped_count
from kefu.customers import demo as customers_demo
from kefu.db import transaction
from kefu.demo import acting_admin
from kefu.surveys import demo
from kefu.surveys.tables import ImprovementAction, SurveyResponse, SurveyRound, SurveySchedule
from tests import factories


def test_the_last_closed_half_year_is_the_one_whose_round_has_closed():
    tz = "Asia/Shanghai"
    assert demo.last_closed_half(datetime(2026, 12, 6, 4, tzinfo=UTC), tz) == "2026H2"
    assert demo.last_closed_half(datetime(2026, 11, 10, 4, tzinfo=UTC), tz) == "2026H1"
    assert demo.last_closed_half(datetime(2027, 3, 1, 4, tzinfo=UTC), tz) == "2026H2"
    assert demo.last_closed_half(datetime(2027, 5, 20, 4, tzinfo=UTC), tz) == "2027H1"


async def test_demo_surveys_are_loaded_once(app):
    tenant = await factories.tenant(kind="property", name="演示物业 " + factories.unique("d"))
    await factories.member(tenant, ["admin"])
    acting = await acting_admin(tenant)
    await customers_demo.load_demo(tenant)
    with clock.frozen(datetime(2027, 3, 1, 4, tzinfo=UTC)):
        await demo.load_demo(tenant, acting)
        await demo.load_demo(tenant, acting)
    async with transaction(tenant.id, write=False):
        rounds = await scoped(SurveyRound, tenant.id).order_by(SurveyRound.id)
        closed = rounds[0]
        responses = await scoped(SurveyResponse, tenant.id).where(SurveyResponse.round == closed["id"])
        actions = await scoped(ImprovementAction, tenant.id).order_by(ImprovementAction.id)
        assert await scoped_count(SurveySchedule, tenant.id) == 1
    assert [(r["status"], r["half_year"]) for r in rounds] == [("closed", "2026H2"), ("open", ""), ("scheduled", "")]
    opens = rounds[2]["opens_at"].astimezone(UTC).date()
    assert opens == date(2027, 3, 8)  # a week after the day the demo was loaded
    assert len(responses) == 40 and closed["invited_count"] == 40
    invalid = {r["invalid_reason"] for r in responses if not r["is_valid"]}
    assert 3 <= sum(not r["is_valid"] for r in responses) <= 8 and "too_fast" in invalid
    assert any(r["via"] == "open" for r in responses) and any(r["via"] == "invite" for r in responses)
    assert all(r["submitted_at"] < datetime(2027, 3, 1, tzinfo=UTC) for r in responses)
    today = date(2027, 3, 1)
    assert [a["round_id"] for a in actions] == [closed["id"]] * 3
    states = sorted((a["status"], a["due_on"] < today) for a in actions)
    assert states == [("done", True), ("open", False), ("open", True)]  # done, open, overdue
    assert not any("理赔" in str(r["answers"]) for r in responses)  # a resident's words
    assert actions[0]["due_on"] - timedelta(days=-20) == today
