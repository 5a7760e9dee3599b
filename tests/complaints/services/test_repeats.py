"""Repeat complaints (A art. 15): shown to the reviewer; with new facts merged into the first,
whose handling period restarts from the new materials."""

from datetime import date

import pytest

from kefu.complaints import services
from kefu.complaints.services import TransitionNotAllowed
from kefu.core.errors import FieldError
from tests.complaints.services.conftest import (
    accepted,
    complaint_data,
    investigating,
    notices,
    reload,
)


async def test_a_repeat_of_an_accepted_complaint_is_shown_with_its_ground(desk):
    first = await accepted(desk)
    unrelated = await services.register_complaint(
        desk.agent, complaint_data(subject="营业厅态度差", customer_ref="P-OTHER")
    )
    stranger = await services.register_complaint(
        desk.agent, complaint_data(complainant_name="李四", complainant_phone="139 0000 0000",
                                   complainant_email="li@example.test")
    )
    repeat = await services.register_complaint(
        desk.agent, complaint_data(complainant_email="", subject="还是没收到理赔款")
    )  # same phone, same policy number
    matches = await services.find_repeats(desk.head, repeat.id)
    assert [(m.complaint_id, m.kind, m.ground) for m in matches] == [(first.id, "open", "a15_2")]
    assert unrelated.id not in {m.complaint_id for m in matches}
    assert await services.find_repeats(desk.head, stranger.id) == []


async def test_a_repeat_after_the_decision_falls_under_art_15_3(desk):
    first = await investigating(desk)
    await services.record_decision(desk.handler, first.id, decision="not_upheld", text="无责任")
    repeat = await services.register_complaint(desk.agent, complaint_data())
    [match] = await services.find_repeats(desk.head, repeat.id)
    assert (match.complaint_id, match.kind, match.ground) == (first.id, "decided", "a15_3")


async def test_withdrawn_complaints_are_not_repeats(desk):
    first = await services.register_complaint(desk.agent, complaint_data())
    await services.withdraw_complaint(desk.agent, first.id, reason="已自行解决")
    repeat = await services.register_complaint(desk.agent, complaint_data())
    assert await services.find_repeats(desk.head, repeat.id) == []


async def test_merging_with_new_facts_restarts_the_handling_period(desk, travel):
    # Given a complaint received Mon 2026-03-02, accepted, decision due 03-17, extended once ...
    first = await accepted(desk)
    first = await services.grant_extension(desk.head, first.id, reason="需调取资料")
    assert first.decision_due == date(2026, 4, 1)
    # ... when the complainant brings new facts on 03-10 and the reviewer merges them ...
    travel(date(2026, 3, 10))
    repeat = await services.register_complaint(
        desk.agent, complaint_data(materials_complete=True, subject="补充：新的就诊记录")
    )
    merged = await services.merge_repeat(
        desk.head, repeat.id, into_id=first.id, new_facts="新的就诊记录证明延误"
    )
    # ... the 15 days run again from 03-10 (extensions of the old period lapse).
    assert (merged.period_start_on, merged.decision_due, merged.extensions_granted) == (
        date(2026, 3, 10), date(2026, 3, 25), 0
    )
    assert merged.received_on == date(2026, 3, 2)  # the art. 12/16 dates keep their anchor
    repeat = await reload(desk, repeat.id)
    assert (repeat.status, repeat.repeat_of, repeat.closed_on) == ("merged", first.id, date(2026, 3, 10))
    [told] = await notices(desk.tenant.id, repeat.id)
    assert (told["kind"], told["data"]["merged_into"], told["data"]["decision_due"]) == (
        "merge_notice", first.number, "2026-03-25"
    )


async def test_merge_refusals(desk):
    first = await investigating(desk)
    repeat = await services.register_complaint(desk.agent, complaint_data())
    with pytest.raises(FieldError) as no_facts:
        await services.merge_repeat(desk.head, repeat.id, into_id=first.id, new_facts=" ")
    assert no_facts.value.field == "new_facts"
    with pytest.raises(TransitionNotAllowed):
        await services.merge_repeat(desk.head, repeat.id, into_id=repeat.id, new_facts="x")
    await services.record_decision(desk.handler, first.id, decision="not_upheld", text="无责任")
    with pytest.raises(TransitionNotAllowed):
        await services.merge_repeat(desk.head, repeat.id, into_id=first.id, new_facts="x")
    assert (await reload(desk, repeat.id)).status == "registered"
