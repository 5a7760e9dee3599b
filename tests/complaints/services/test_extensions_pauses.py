"""Extensions (2020 办法 art. 19, capped by the policy), appraisal pauses, and withdrawal."""

from datetime import date

import pytest
from litestar.exceptions import PermissionDeniedException

from kefu.complaints import services
from kefu.complaints.services import TransitionNotAllowed
from tests.complaints.services.conftest import (
    TODAY,
    accepted,
    complaint_data,
    investigating,
    make_desk,
    notices,
    under_review,
)


async def test_extensions_follow_the_policy_steps_up_to_the_cap(desk):
    c = await accepted(desk)  # received Mon 2026-03-02: decision due 03-17
    with pytest.raises(PermissionDeniedException):
        await services.grant_extension(desk.handler, c.id, reason="复杂")
    c = await services.grant_extension(desk.ops, c.id, reason="需向医院调取病历")
    assert (c.extensions_granted, c.decision_due) == (1, date(2026, 4, 1))  # 30 days
    # The second only by a senior manager (the pack's ops_head), not the office head.
    with pytest.raises(TransitionNotAllowed) as refused:
        await services.grant_extension(desk.head, c.id, reason="需第三方鉴定意见")
    assert refused.value.code == "senior_approval_needed"
    c = await services.grant_extension(desk.ops, c.id, reason="需第三方鉴定意见")
    assert (c.extensions_granted, c.decision_due) == (2, date(2026, 5, 6))  # 60: May 1 -> 6
    with pytest.raises(TransitionNotAllowed):
        await services.grant_extension(desk.ops, c.id, reason="再延")
    owed = [n for n in await notices(desk.tenant.id, c.id) if n["kind"] == "extension_notice"]
    # Each is due by the date it moves, with the reason and the new date told.
    assert [(n["due_on"], n["data"]["extended_to"], n["data"]["reason"]) for n in owed] == [
        (date(2026, 3, 17), "2026-04-01", "需向医院调取病历"),
        (date(2026, 4, 1), "2026-05-06", "需第三方鉴定意见"),
    ]


async def test_no_extension_once_the_period_is_over(desk, travel):
    c = await accepted(desk)
    travel(date(2026, 3, 18))
    with pytest.raises(TransitionNotAllowed):
        await services.grant_extension(desk.head, c.id, reason="迟到")


async def test_property_policy_allows_one_extension():
    centre = await make_desk("property")
    c = await services.register_complaint(
        centre.agent, complaint_data(category="repair", materials_complete=True)
    )
    c = await services.review_complaint(centre.head, c.id, outcome="accept")
    assert c.decision_due == date(2026, 3, 16)  # 10 working days
    c = await services.grant_extension(centre.head, c.id, reason="等待防水检测")
    assert c.decision_due == date(2026, 3, 30)  # 20 working days
    with pytest.raises(TransitionNotAllowed):
        await services.grant_extension(centre.head, c.id, reason="再延")


async def test_an_appraisal_pause_shifts_the_decision_date(desk, travel):
    c = await investigating(desk)
    assert c.decision_due == date(2026, 3, 17)
    with pytest.raises(TransitionNotAllowed):
        await services.resume_after_appraisal(desk.handler, c.id)
    travel(date(2026, 3, 5))
    c = await services.pause_for_appraisal(desk.handler, c.id, reason="需委托伤残鉴定")
    # Still on the worklist: the pause is watched, its handler reminded to resume on 03-12.
    assert (c.paused_since, c.next_due_kind, c.next_due) == (
        date(2026, 3, 5), "appraisal_pause", date(2026, 3, 12))
    with pytest.raises(TransitionNotAllowed):
        await services.pause_for_appraisal(desk.handler, c.id, reason="again")
    travel(date(2026, 3, 9))
    c = await services.resume_after_appraisal(desk.handler, c.id)
    # 4 days paused: day 19 is Sat 03-21, so the period ends Mon 03-23 (民法典 art. 203).
    assert (c.paused_days, c.paused_since, c.decision_due) == (4, None, date(2026, 3, 23))
    assert (c.next_due_kind, c.next_due) == ("decision", date(2026, 3, 23))
    kinds = [(n["kind"], n["unique_key"].split(":", 2)[2]) for n in await notices(desk.tenant.id, c.id)]
    assert ("pause_notice", "pause:2026-03-05") in kinds
    assert ("extension_notice", "resume:2026-03-09") in kinds
    [resumed] = [n for n in await notices(desk.tenant.id, c.id) if "resume" in n["unique_key"]]
    assert resumed["data"]["extended_to"] == "2026-03-23"


async def test_pauses_can_be_switched_off_by_policy(desk):
    import json

    from kefu.db import transaction
    from kefu.tenancy.tables import Tenant

    desk.tenant.settings = json.dumps({"complaint_policy": {"appraisal_pause_allowed": False}})
    async with transaction():
        await Tenant.update({Tenant.settings: desk.tenant.settings}).where(Tenant.id == desk.tenant.id)
    c = await investigating(desk)
    with pytest.raises(TransitionNotAllowed):
        await services.pause_for_appraisal(desk.handler, c.id, reason="鉴定")


@pytest.mark.parametrize("stage", ["registered", "under_review", "investigating"])
async def test_a_withdrawal_closes_the_complaint_that_day(desk, stage):
    if stage == "registered":
        c = await services.register_complaint(desk.agent, complaint_data())
    elif stage == "under_review":
        c = await under_review(desk)
    else:
        c = await investigating(desk)
    c = await services.withdraw_complaint(desk.agent, c.id, reason="投诉人来电撤回")
    assert (c.status, c.closed_on, c.next_due, c.next_remind_on) == ("withdrawn", TODAY, None, None)
    with pytest.raises(TransitionNotAllowed):
        await services.review_complaint(desk.head, c.id, outcome="accept")
