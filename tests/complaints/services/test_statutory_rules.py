"""A art. 15(1) authorisation, art. 15 merging, extensions asked for and approved, appraisal
pauses in working days, and the remedies a decision states (2020 rules) — through the services."""

from datetime import date

import pytest

from kefu.complaints import services
from kefu.complaints.services import TransitionNotAllowed
from tests.complaints.services.conftest import (
    complaint_data,
    investigating,
    make_desk,
    notices,
    under_review,
)


async def refused(code: str, call) -> None:
    with pytest.raises(TransitionNotAllowed) as why:
        await call
    assert why.value.code == code


async def test_an_agents_complaint_is_accepted_only_once_the_authorisation_is_recorded(desk):
    c = await under_review(desk, complainant_relation="agent")
    await refused("authorisation_missing", services.review_complaint(desk.head, c.id, outcome="accept"))
    c = await services.record_authorisation(desk.agent, c.id)
    assert c.authorisation_doc is True
    c = await services.review_complaint(desk.head, c.id, outcome="accept")
    assert c.status == "accepted"


async def test_the_consumers_own_complaint_needs_no_authorisation(desk):
    c = await under_review(desk)
    await refused("not_an_agent", services.record_authorisation(desk.agent, c.id))
    assert (await services.review_complaint(desk.head, c.id, outcome="accept")).status == "accepted"


async def test_an_agent_asks_for_an_extension_under_review_and_the_head_approves_it(desk):
    c = await under_review(desk)  # decision due 03-17: the clock runs while under review
    c = await services.request_extension(desk.agent, c.id, reason="需调取医院病历")
    await refused("extension_requested", services.request_extension(desk.agent, c.id, reason="再"))
    c = await services.approve_extension(desk.head, c.id)
    assert (c.status, c.extensions_granted, c.decision_due) == ("under_review", 1, date(2026, 4, 1))
    [told] = [n for n in await notices(desk.tenant.id, c.id) if n["kind"] == "extension_notice"]
    assert told["data"]["reason"] == "需调取医院病历"
    await refused("no_extension_request", services.approve_extension(desk.head, c.id))


async def test_only_a_later_complaint_merges_into_an_earlier_one_within_its_period(desk, travel):
    first = await investigating(desk)  # received 03-02, decision due 03-17
    travel(date(2026, 3, 10))
    later = await services.register_complaint(desk.agent, complaint_data(materials_complete=True))
    await refused("merge_not_later", services.merge_repeat(
        desk.head, first.id, into_id=later.id, new_facts="新事实"))
    travel(date(2026, 3, 18))
    too_late = await services.register_complaint(desk.agent, complaint_data(materials_complete=True))
    await refused("merge_after_period", services.merge_repeat(
        desk.head, too_late.id, into_id=first.id, new_facts="新事实"))


async def test_a_merge_never_moves_an_overdue_deadline_later(desk, travel):
    first = await investigating(desk)  # decision due 03-17
    travel(date(2026, 3, 16))
    repeat = await services.register_complaint(desk.agent, complaint_data(materials_complete=True))
    travel(date(2026, 3, 18))  # the first complaint is overdue now
    merged = await services.merge_repeat(desk.head, repeat.id, into_id=first.id, new_facts="新证据")
    assert (merged.period_start_on, merged.decision_due) == (date(2026, 3, 2), date(2026, 3, 17))


async def test_no_pause_once_the_decision_period_is_over(desk, travel):
    c = await investigating(desk)
    travel(date(2026, 3, 18))
    await refused("period_ended", services.pause_for_appraisal(desk.handler, c.id, reason="鉴定"))


async def test_a_pause_in_a_working_day_period_adds_the_working_days_it_covered(travel):
    centre = await make_desk("property")
    c = await services.register_complaint(
        centre.agent, complaint_data(category="repair", materials_complete=True))
    c = await services.review_complaint(centre.head, c.id, outcome="accept")
    c = await services.assign_handler(centre.head, c.id, handler_id=centre.handler.user.id)
    assert c.decision_due == date(2026, 3, 16)  # 10 working days
    travel(date(2026, 3, 4))
    await services.pause_for_appraisal(centre.handler, c.id, reason="防水检测")
    travel(date(2026, 3, 11))  # 7 calendar days, 5 working days (03-05, 06, 09, 10, 11)
    c = await services.resume_after_appraisal(centre.handler, c.id)
    assert (c.paused_days, c.decision_due) == (5, date(2026, 3, 23))


async def test_the_decision_notice_states_the_remedies_in_the_packs_wording(desk):
    c = await investigating(desk)
    await services.record_decision(desk.handler, c.id, decision="not_upheld", text="经核实无误")
    [n] = [n for n in await notices(desk.tenant.id, c.id) if n["kind"] == "decision_notice"]
    remedies = n["data"]["remedies"]
    assert len(remedies) == 4
    for word in ("复核", "调解", "仲裁", "诉讼"):
        assert any(word in r for r in remedies), word
