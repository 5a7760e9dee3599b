"""Each action on the complaint's page posts to its own route and makes one transition; a
refusal comes back on the page next to its form (422 naming the field, 403, 409)."""

from __future__ import annotations

import re
from datetime import date

from kefu.complaints import services
from tests.complaints.ui.support import notice_kinds, register, reload


async def _post(office, who: str, complaint_id: int, action: str, data: dict | None = None):
    client = await office.client(who)
    return await client.post(office.url(f"/{complaint_id}/{action}"), data or {})


def _ok(response, complaint_id: int | None = None) -> None:
    assert response.status_code == 303, response.text[:3000]
    if complaint_id is not None:
        assert response.headers["location"].endswith(f"/complaints/{complaint_id}")


async def test_the_regulated_path_through_the_pages(office):
    c = await register(await office.ctx("agent"))
    handler_id = office.users["handler"].id

    _ok(await _post(office, "agent", c.id, "request-materials", {"missing": "保单复印件"}), c.id)
    assert (await reload(office.tenant, c.id)).status == "materials_incomplete"
    _ok(await _post(office, "agent", c.id, "materials-complete", {"complete_on": "2026-03-02"}))
    assert (await reload(office.tenant, c.id)).status == "under_review"
    _ok(await _post(office, "head", c.id, "accept"))
    assert (await reload(office.tenant, c.id)).status == "accepted"
    _ok(await _post(office, "head", c.id, "assign", {"handler": str(handler_id)}))
    c2 = await reload(office.tenant, c.id)
    assert (c2.status, c2.handler) == ("investigating", handler_id)
    _ok(await _post(office, "handler", c.id, "notes", {"body": "已致电客户核实"}))
    _ok(await _post(office, "handler", c.id, "decide", {
        "decision": "partly", "text": "理赔延误属实。", "remedy": "赔付利息 120 元"}))
    assert (await reload(office.tenant, c.id)).status == "decided"
    _ok(await _post(office, "handler", c.id, "close"))
    assert (await reload(office.tenant, c.id)).status == "closed"

    page = await (await office.client("head")).get(office.url(f"/{c.id}"))
    notices = page.text.split('id="notice-list"')[1].split("</table>")[0]
    for kind in ("materials_notice", "acceptance_notice", "decision_notice", "assignment_notice"):
        assert f'data-kind="{kind}"' in notices, kind
    assert "已致电客户核实" in page.text and "Handler 员工" in page.text
    trail = page.text.split('id="audit-trail"')[1]
    for action in ("register", "request_materials", "complete_materials", "accept", "assign",
                   "note", "decide", "close"):
        assert f'data-action="complaint.{action}"' in trail, action
    assert 'id="action-' not in page.text  # nothing left to do on a closed complaint
    assert set(await notice_kinds(office.tenant, c.id)) == {
        "materials_notice", "acceptance_notice", "assignment_notice", "decision_notice"}


async def test_the_page_offers_only_what_this_user_may_do_now(office):
    c = await register(await office.ctx("agent"), materials_complete=True)
    head = (await (await office.client("head")).get(office.url(f"/{c.id}"))).text
    agent = (await (await office.client("agent")).get(office.url(f"/{c.id}"))).text
    qa = (await (await office.client("qa")).get(office.url(f"/{c.id}"))).text
    for action in ("accept", "not_accept", "transfer_internal", "transfer_out", "withdraw", "major"):
        assert f'id="action-{action}"' in head, action
    for action in ("decide", "close", "request_materials", "complete_materials", "resume"):
        assert f'id="action-{action}"' not in head, action
    assert 'id="action-withdraw"' in agent and 'id="action-accept"' not in agent
    assert 'id="action-' not in qa and 'id="upload-form"' not in qa and 'id="note-form"' in qa


async def test_not_accepted_with_its_ground_and_reason(office):
    c = await register(await office.ctx("agent"), materials_complete=True)
    _ok(await _post(office, "head", c.id, "not-accept", {"ground": "a14_4", "reason": "属于合同纠纷"}))
    c = await reload(office.tenant, c.id)
    assert (c.status, c.review_ground, c.review_reason) == ("not_accepted", "a14_4", "属于合同纠纷")
    page = await (await office.client("head")).get(office.url(f"/{c.id}"))
    assert "A art. 14(4)" in page.text and "属于合同纠纷" in page.text
    assert await notice_kinds(office.tenant, c.id) == ["rejection_notice"]


async def test_a_missing_reason_is_named_and_nothing_changes(office):
    c = await register(await office.ctx("agent"), materials_complete=True)
    response = await _post(office, "head", c.id, "not-accept", {"ground": "a14_4", "reason": ""})
    assert response.status_code == 422
    assert 'id="not_accept-reason-error"' in response.text
    assert '<details id="action-not_accept" open>' in response.text
    assert 'name="reason" rows="3" maxlength="2000" required aria-invalid="true"' in response.text
    assert (await reload(office.tenant, c.id)).status == "under_review"
    assert await notice_kinds(office.tenant, c.id) == []
    bad_ground = await _post(office, "head", c.id, "not-accept", {"ground": "a99", "reason": "x"})
    assert bad_ground.status_code == 422 and 'id="not_accept-ground-error"' in bad_ground.text


async def test_transfers_inside_and_out(office):
    agent = await office.ctx("agent")
    inside = await register(agent, materials_complete=True)
    out = await register(agent, materials_complete=True)
    _ok(await _post(office, "head", inside.id, "transfer-internal", {"department": "个险理赔部"}))
    _ok(await _post(office, "head", out.id, "transfer-out", {"unit": "某某财产保险公司"}))
    assert (await reload(office.tenant, inside.id)).department == "个险理赔部"
    assert (await reload(office.tenant, out.id)).transferred_to == "某某财产保险公司"
    missing = await register(agent, materials_complete=True)
    response = await _post(office, "head", missing.id, "transfer-out", {"unit": ""})
    assert response.status_code == 422 and 'id="transfer_out-unit-error"' in response.text


async def test_a_repeat_is_shown_to_the_reviewer_and_merged(office):
    agent = await office.ctx("agent")
    first = await register(agent, materials_complete=True)
    repeat = await register(agent)  # same caller, same policy number
    head = await office.client("head")
    page = await head.get(office.url(f"/{repeat.id}"))
    assert f'data-repeat="{first.id}"' in page.text
    assert f'<option value="{first.id}">{first.number}</option>' in page.text
    # An agent does not review: no candidates on her page.
    assert 'id="repeats"' not in (await (await office.client("agent")).get(office.url(f"/{repeat.id}"))).text

    response = await _post(office, "head", repeat.id, "merge", {"into_id": str(first.id),
                                                              "new_facts": "补充了新的就医记录"})
    _ok(response, first.id)  # on to the first complaint
    assert (await reload(office.tenant, repeat.id)).status == "merged"
    merged = await head.get(office.url(f"/{repeat.id}"))
    assert f">{first.number}</a>" in merged.text.split("<dt>Merged into</dt>")[1]


async def test_extension_pause_resume_and_major(office):
    agent, head = await office.ctx("agent"), await office.ctx("head")
    c = await register(agent, materials_complete=True)
    await services.review_complaint(head, c.id, outcome="accept")
    await services.assign_handler(head, c.id, handler_id=office.users["handler"].id)
    due = (await reload(office.tenant, c.id)).decision_due

    _ok(await _post(office, "head", c.id, "extend", {"reason": "需调取医院病历"}))
    c1 = await reload(office.tenant, c.id)
    assert c1.extensions_granted == 1 and c1.decision_due > due
    _ok(await _post(office, "handler", c.id, "pause", {"reason": "委托第三方鉴定"}))
    assert (await reload(office.tenant, c.id)).paused_since == date(2026, 3, 2)
    page = await (await office.client("handler")).get(office.url(f"/{c.id}"))
    assert 'id="action-resume"' in page.text and 'id="action-pause"' not in page.text
    _ok(await _post(office, "handler", c.id, "resume"))
    assert (await reload(office.tenant, c.id)).paused_since is None
    _ok(await _post(office, "head", c.id, "major", {"major": "1"}))
    assert (await reload(office.tenant, c.id)).is_major is True
    # B.k: the written report on a major complaint is a note of its own kind.
    _ok(await _post(office, "handler", c.id, "notes", {"body": "重大投诉书面报告", "kind": "major_report"}))
    page = await (await office.client("handler")).get(office.url(f"/{c.id}"))
    assert "Major-complaint report" in page.text.split('id="notes"')[1]
    _ok(await _post(office, "head", c.id, "major", {"major": "0"}))
    assert (await reload(office.tenant, c.id)).is_major is False
    assert set(await notice_kinds(office.tenant, c.id)) >= {"extension_notice", "pause_notice"}


async def test_withdrawal_and_the_regulators_report(office):
    agent = await office.ctx("agent")
    c = await register(agent)
    _ok(await _post(office, "agent", c.id, "withdraw", {"reason": "客户表示已自行解决"}))
    assert (await reload(office.tenant, c.id)).status == "withdrawn"
    transferred = await register(agent, channel="regulator", regulator={"unit": "上海监管局"})
    _ok(await _post(office, "handler", transferred.id, "regulator-report", {"sent_on": "2026-03-02"}))
    assert (await reload(office.tenant, transferred.id)).regulator_report_sent_on == date(2026, 3, 2)
    bad = await _post(office, "handler", transferred.id, "regulator-report", {"sent_on": "someday"})
    assert bad.status_code == 422 and 'id="regulator_report-sent_on-error"' in bad.text


async def test_an_action_the_state_does_not_allow_is_409_with_a_reason(office):
    c = await register(await office.ctx("agent"))  # registered: not under review yet
    response = await _post(office, "head", c.id, "accept")
    assert response.status_code == 409
    assert "not possible in the complaint&#39;s current state" in response.text
    assert (await reload(office.tenant, c.id)).status == "registered"


async def test_only_the_assigned_handler_or_a_reviewer_decides(office, app):
    from tests import factories
    from tests.fixtures import Client

    agent, head = await office.ctx("agent"), await office.ctx("head")
    c = await register(agent, materials_complete=True)
    await services.review_complaint(head, c.id, outcome="accept")
    await services.assign_handler(head, c.id, handler_id=office.users["handler"].id)
    other = await factories.member(office.tenant, ["cs_manager"], name="另一位处理人")
    client = Client(app)
    await client.signin(other.email)
    response = await client.post(office.url(f"/{c.id}/decide"), {
        "decision": "not_upheld", "text": "不支持。"})
    await client.aclose()
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.text
    assert c.number in response.text  # the complaint's page, with the refusal on it
    assert (await reload(office.tenant, c.id)).status == "investigating"


async def test_a_decision_needs_its_text_and_remedy(office):
    agent, head = await office.ctx("agent"), await office.ctx("head")
    c = await register(agent, materials_complete=True)
    await services.review_complaint(head, c.id, outcome="accept")
    await services.assign_handler(head, c.id, handler_id=office.users["handler"].id)
    for data, field in (
        ({"decision": "maybe", "text": "x", "remedy": "y"}, "decision"),
        ({"decision": "upheld", "text": "", "remedy": "y"}, "text"),
        ({"decision": "upheld", "text": "x", "remedy": ""}, "remedy"),
    ):
        response = await _post(office, "handler", c.id, "decide", data)
        assert response.status_code == 422 and f'id="decide-{field}-error"' in response.text, field
    assert (await reload(office.tenant, c.id)).status == "investigating"


async def test_assigning_someone_who_may_not_handle_is_named(office):
    agent, head = await office.ctx("agent"), await office.ctx("head")
    c = await register(agent, materials_complete=True)
    await services.review_complaint(head, c.id, outcome="accept")
    page = await (await office.client("head")).get(office.url(f"/{c.id}"))
    options = page.text.split('name="handler"')[1].split("</select>")[0]
    assert f'value="{office.users["handler"].id}"' in options
    # The insurer's agents are offered (the pack's handler_positions); QA is not.
    assert f'value="{office.users["agent"].id}"' in options
    assert f'value="{office.users["qa"].id}"' not in options
    for value in (str(office.users["qa"].id), "nobody"):
        response = await _post(office, "head", c.id, "assign", {"handler": value})
        assert response.status_code == 422 and 'id="assign-handler-error"' in response.text


async def test_bob_the_agent_may_not_accept(cast, as_bob, as_alice):
    from tests.complaints.ui.support import context

    alice = await context(cast.tenant_a, cast.alice)
    c = await register(alice, materials_complete=True)
    url = f"/t/{cast.tenant_a.slug}/complaints/{c.id}"
    page = await as_bob.get(url)
    assert page.status_code == 200 and 'id="action-accept"' not in page.text
    response = await as_bob.post(f"{url}/accept")
    assert response.status_code == 403
    assert (await reload(cast.tenant_a, c.id)).status == "under_review"
    _ok(await as_alice.post(f"{url}/accept"))


async def test_another_tenants_complaint_is_the_same_404_as_a_missing_one(cast, as_carol):
    from tests.complaints.ui.support import context

    c = await register(await context(cast.tenant_a, cast.alice), subject="甲公司的秘密投诉")
    own = f"/t/{cast.tenant_b.slug}/complaints"
    theirs = await as_carol.get(f"{own}/{c.id}")
    missing = await as_carol.get(f"{own}/999999999")
    assert theirs.status_code == missing.status_code == 404
    # The same page but for the path it was asked at (the language switch returns there).
    def body(r):
        return re.sub(r'name="next" value="[^"]*"', "", r.text)

    assert body(theirs) == body(missing)
    assert "甲公司的秘密投诉" not in theirs.text
    for action in ("accept", "notes", "decide", "withdraw"):
        response = await as_carol.post(f"{own}/{c.id}/{action}", {"body": "x", "reason": "x"})
        assert response.status_code == 404, action
    through_a = await as_carol.get(f"/t/{cast.tenant_a.slug}/complaints/{c.id}")
    assert through_a.status_code == 404


async def test_a_nul_character_in_an_action_is_named(office):
    c = await register(await office.ctx("agent"))
    response = await _post(office, "agent", c.id, "notes", {"body": "x\x00y"})
    assert response.status_code == 422 and 'id="note-body-error"' in response.text
    response = await _post(office, "agent", c.id, "request-materials", {"missing": "\x00"})
    assert response.status_code == 422 and 'id="request_materials-missing-error"' in response.text
    listing = await (await office.client("agent")).get(office.url("/?q=%00"))
    assert listing.status_code == 200


async def test_a_refused_action_shows_its_reason_in_the_readers_language(office, app):
    from kefu.tenancy.services import add_member
    from tests import factories
    from tests.fixtures import Client

    # Given a complaint whose two extensions (the insurer's cap) are granted already ...
    agent, head, ops = await office.ctx("agent"), await office.ctx("head"), await office.ctx("ops")
    c = await register(agent, materials_complete=True)
    await services.review_complaint(head, c.id, outcome="accept")
    await services.grant_extension(head, c.id, reason="需调取医院病历")
    await services.grant_extension(ops, c.id, reason="等待鉴定结论")
    # ... and a reviewer who reads Chinese.
    reader = await factories.user(name="中文负责人", locale="zh_CN")
    await add_member(tenant=office.tenant, user=reader, positions=["cs_head"])
    client = Client(app)
    await client.signin(reader.email)
    page = await client.get(office.url(f"/{c.id}"))
    assert page.status_code == 200 and 'id="action-extend"' not in page.text
    # When a third extension is posted anyway (a stale page, a second tab) ...
    response = await client.post(office.url(f"/{c.id}/extend"), {"reason": "再延一次"})
    await client.aclose()
    # ... the page says why, in the reader's language, next to the form.
    assert response.status_code == 409
    assert "按规定不能再延期。" in response.text
    assert c.number in response.text
    assert (await reload(office.tenant, c.id)).extensions_granted == 2
