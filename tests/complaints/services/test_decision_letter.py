"""A complainant reachable only by phone still receives the decision itself: the SMS cannot
carry it, so the decision notice also owes a letter, shown on the complaint until posted."""

from kefu.complaints import services
from kefu.db import transaction
from kefu.notifications import delivery
from kefu.notifications import services as notices_services
from tests.complaints.services.conftest import TODAY, investigating, notices


async def _decided(desk, **over):
    c = await investigating(desk, **over)
    return await services.record_decision(desk.head, c.id, decision="upheld", text="属实", remedy="退费")


async def _views(desk, complaint_id):
    async with transaction(desk.tenant.id, write=False):
        return {(v.kind, v.channel): v for v in await notices_services.notices_for(desk.tenant.id, "complaint", complaint_id)}


async def test_a_phone_only_complainant_is_owed_the_decision_by_sms_and_by_letter(desk):
    c = await _decided(desk, complainant_email="", complainant_address="北京市朝阳区建国路1号")
    owed = [(n["kind"], n["channel"]) for n in await notices(desk.tenant.id, c.id) if n["kind"] == "decision_notice"]
    assert sorted(owed) == [("decision_notice", "letter"), ("decision_notice", "sms")]

    letter = (await _views(desk, c.id))["decision_notice", "letter"]
    assert await delivery.deliver(desk.tenant.id, letter.id) == "ready"
    assert (await _views(desk, c.id))["decision_notice", "letter"].state == "ready"  # shown as to post

    async with transaction(desk.tenant.id):
        await notices_services.mark_posted(desk.head, letter.id, TODAY)
    posted = (await _views(desk, c.id))["decision_notice", "letter"]
    assert (posted.state, posted.sent_on) == ("sent", TODAY)


async def test_a_complainant_with_email_gets_no_extra_letter(desk):
    c = await _decided(desk)
    channels = [n["channel"] for n in await notices(desk.tenant.id, c.id) if n["kind"] == "decision_notice"]
    assert channels == ["email"]


async def test_an_acceptance_notice_by_sms_needs_no_letter(desk):
    c = await investigating(desk, complainant_email="")
    channels = [n["channel"] for n in await notices(desk.tenant.id, c.id) if n["kind"] == "acceptance_notice"]
    assert channels == ["sms"]
