"""The demo surveys: a closed 2026H1 round with about forty answers (some invalid, with their
reasons), the half-year schedule, a round open now; loading twice adds nothing."""

from __future__ import annotations

from kefu.core.scoping import scoped, scoped_count
from kefu.customers import demo as customers_demo
from kefu.db import transaction
from kefu.surveys import demo
from kefu.surveys.tables import SurveyResponse, SurveyRound, SurveySchedule
from tests import factories


async def test_demo_surveys_are_loaded_once(app):
    tenant = await factories.tenant(kind="property", name="演示物业 " + factories.unique("d"))
    await customers_demo.load_demo(tenant)
    await demo.load_demo(tenant)
    await demo.load_demo(tenant)
    async with transaction(tenant.id, write=False):
        rounds = await scoped(SurveyRound, tenant.id).order_by(SurveyRound.id)
        closed = rounds[0]
        responses = await scoped(SurveyResponse, tenant.id).where(SurveyResponse.round == closed["id"])
        assert await scoped_count(SurveySchedule, tenant.id) == 1
    assert [(r["status"], r["half_year"]) for r in rounds] == [("closed", "2026H1"), ("open", "")]
    assert len(responses) == 40 and closed["invited_count"] == 40
    invalid = {r["invalid_reason"] for r in responses if not r["is_valid"]}
    assert 3 <= sum(not r["is_valid"] for r in responses) <= 8 and "too_fast" in invalid
    assert any(r["via"] == "open" for r in responses) and any(r["via"] == "invite" for r in responses)
