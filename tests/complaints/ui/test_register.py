"""The register form: one form during a call, the caller's open complaints at once, the number
big enough to read out; every bad field answered 422 by name with nothing saved; a double
submit registers one complaint."""

from __future__ import annotations

import re

import pytest

from kefu.complaints import services
from tests.complaints.ui.support import count, field_invalid, form, register, reload
from tests.fixtures import form_value


def _detail_id(response) -> int:
    assert response.status_code == 303, response.text[:2000]
    match = re.search(r"/complaints/(\d+)$", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


async def test_the_form_starts_at_the_phone_with_today_and_a_fresh_key(office):
    client = await office.client("agent")
    page = await client.get(office.url("/new"))
    assert page.status_code == 200
    assert re.search(r'name="complainant.phone"[^>]*autofocus', page.text)
    assert form_value(page.text, "received_on") == "2026-03-02"  # today in Shanghai
    key = form_value(page.text, "idempotency_key")
    assert key and len(key) == 32
    assert form_value((await client.get(office.url("/new"))).text, "idempotency_key") != key
    assert re.search(r'<option value="hotline" selected>', page.text)
    assert 'id="regulator-fields"' in page.text  # shown by CSS when the channel is a regulator


async def test_register_shows_the_number_to_read_out(office):
    client = await office.client("agent")
    response = await client.post(office.url("/"), form(idempotency_key="k" * 32))
    complaint_id = _detail_id(response)

    page = await client.get(response.headers["location"])

    c = await reload(office.tenant, complaint_id)
    assert c.number == "TS2026-000001" and c.status == "registered"
    assert (c.complainant_phone, c.source, c.registered_by) == (
        "13800138000", "staff", office.users["agent"].id)
    assert f'<p class="kefu-number" id="complaint-number" aria-label="Complaint number">{c.number}</p>' in page.text
    assert f"Complaint {c.number} is registered" in page.text  # the flash
    assert "Materials notice" in page.text.split('id="deadlines"')[1]


async def test_complete_materials_go_straight_to_review(office):
    client = await office.client("agent")
    response = await client.post(office.url("/"), form(materials_complete="1"))
    c = await reload(office.tenant, _detail_id(response))
    assert (c.status, c.materials_complete_on.isoformat()) == ("under_review", "2026-03-02")


async def test_an_agent_with_an_authorisation_and_a_regulator_transfer(office):
    client = await office.client("agent")
    response = await client.post(office.url("/"), form(**{
        "complainant.relation": "agent", "complainant.authorisation_doc": "1",
        "channel": "regulator", "regulator.unit": "国家金融监督管理总局上海监管局",
        "regulator.reference": "沪金管投〔2026〕12号", "regulator.report_due": "2026-03-20",
        "regulator.report_requested": "书面处理情况报告",
    }))
    c = await reload(office.tenant, _detail_id(response))
    assert (c.complainant_relation, c.authorisation_doc) == ("agent", True)
    assert (c.regulator_unit, c.regulator_ref) == ("国家金融监督管理总局上海监管局", "沪金管投〔2026〕12号")
    assert c.regulator_report_due.isoformat() == "2026-03-20"
    page = await client.get(office.url(f"/{c.id}"))
    assert "国家金融监督管理总局上海监管局" in page.text and "authorisation received" in page.text


async def test_a_double_submit_registers_one_complaint(office):
    client = await office.client("agent")
    data = form(idempotency_key="double-submit-0001")
    first = await client.post(office.url("/"), data)
    second = await client.post(office.url("/"), data)
    assert _detail_id(first) == _detail_id(second)
    assert await count(office.tenant) == 1
    # The number was not used up by the replay: the next complaint gets the next number.
    nxt = await reload(office.tenant, _detail_id(await client.post(office.url("/"), form())))
    assert nxt.number == "TS2026-000002"


BAD = [
    ("channel", {"channel": "carrier-pigeon"}),
    ("channel", {"channel": ""}),
    ("received_on", {"received_on": "2026-13-01"}),
    ("received_on", {"received_on": "2026-03-03"}),  # tomorrow
    ("complainant.name", {"complainant.name": ""}),
    ("complainant.name", {"complainant.name": "名" * 101}),
    ("complainant.phone", {"complainant.phone": "call me maybe"}),
    ("complainant.phone", {"complainant.phone": "", "complainant.email": "", "complainant.address": ""}),
    ("complainant.email", {"complainant.email": "not-an-email"}),
    ("complainant.address", {"complainant.address": "路" * 301}),
    ("complainant.relation", {"complainant.relation": "boss"}),
    ("complainant.authorisation_doc", {"complainant.authorisation_doc": "perhaps"}),
    ("customer_ref", {"customer_ref": "P" * 65}),
    ("subject", {"subject": ""}),
    ("subject", {"subject": "题" * 201}),
    ("description", {"description": "   "}),
    ("description", {"description": "述" * 10_001}),
    ("category", {"category": "gossip"}),
    ("materials_complete", {"materials_complete": "perhaps"}),
    ("is_major", {"is_major": "perhaps"}),
    ("regulator.unit", {"channel": "regulator", "regulator.unit": ""}),
    ("regulator.reference", {"channel": "regulator", "regulator.unit": "上海局", "regulator.reference": "号" * 101}),
    ("regulator.report_requested", {"channel": "regulator", "regulator.unit": "上海局",
                                    "regulator.report_requested": "报" * 2001}),
    ("regulator.report_due", {"channel": "regulator", "regulator.unit": "上海局",
                              "regulator.report_due": "next week"}),
]


@pytest.mark.parametrize(("field", "over"), BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD)])
async def test_each_bad_field_is_named_and_nothing_is_saved(office, field, over):
    client = await office.client("agent")
    response = await client.post(office.url("/"), form(**over))
    assert response.status_code == 422, response.text[:500]
    assert field_invalid(response.text, field), f"{field} is not marked on the page"
    assert "Nothing was saved." in response.text
    assert await count(office.tenant) == 0
    # What the agent typed is still there.
    assert 'value="理赔款迟迟未到账"' in response.text or field == "subject"


async def test_a_bad_idempotency_key_is_named_too(office):
    client = await office.client("agent")
    response = await client.post(office.url("/"), form(idempotency_key="no spaces allowed!"))
    assert response.status_code == 422
    assert 'id="idempotency_key-error"' in response.text
    assert await count(office.tenant) == 0


async def test_several_bad_fields_are_all_named_at_once(office):
    client = await office.client("agent")
    response = await client.post(office.url("/"), form(subject="", category="x", **{
        "complainant.email": "nope"}))
    assert response.status_code == 422
    for field in ("subject", "category", "complainant.email"):
        assert field_invalid(response.text, field), field


async def test_the_callers_open_complaints_appear_as_the_number_is_typed(office):
    agent = await office.ctx("agent")
    open_one = await register(agent, subject="保单退保手续费争议")
    closed = await register(agent, subject="早已撤回的投诉")
    await services.withdraw_complaint(agent, closed.id)
    await register(agent, complainant_phone="13900000000", subject="别人的投诉")
    client = await office.client("agent")

    found = await client.get(office.url("/lookup?complainant.phone=138-0013-8000"),
                             headers={"hx-request": "true"})
    assert found.status_code == 200
    assert found.text.lstrip().startswith('<section id="caller"')
    assert open_one.number in found.text and "保单退保手续费争议" in found.text
    assert closed.number not in found.text and "别人的投诉" not in found.text

    nobody = await client.get(office.url("/lookup?complainant.phone=13700000000"),
                              headers={"hx-request": "true"})
    assert "No open complaint for this phone number." in nobody.text
    too_short = await client.get(office.url("/lookup?complainant.phone=13"),
                                 headers={"hx-request": "true"})
    assert "<li>" not in too_short.text and "No open complaint" not in too_short.text
    # Without htmx (or with a phone in the link) it is a page of its own.
    page = await client.get(office.url("/lookup?phone=%2B86 138 0013 8000"))
    assert office.tenant.name in page.text and open_one.number in page.text
    new_form = await client.get(office.url("/new?phone=13800138000"))
    assert open_one.number in new_form.text
    # The 422 page keeps showing them.
    bad = await client.post(office.url("/"), form(subject=""))
    assert open_one.number in bad.text


async def test_who_may_not_register_is_refused_and_nothing_is_saved(office):
    qa = await office.client("qa")
    assert (await qa.get(office.url("/new"))).status_code == 403
    assert (await qa.post(office.url("/"), form())).status_code == 403
    assert await count(office.tenant) == 0


async def test_an_existing_complaint_is_not_changed_by_a_failed_register(office):
    c = await register(await office.ctx("agent"))
    client = await office.client("agent")
    await client.post(office.url("/"), form(category="nope"))
    assert await count(office.tenant) == 1
    assert (await reload(office.tenant, c.id)).status == "registered"


@pytest.mark.parametrize("field", ["subject", "complainant.name", "description", "category"])
async def test_a_nul_character_is_named_not_a_database_error(office, field):
    # No browser sends NUL, and PostgreSQL cannot hold it in text: 422 naming the field.
    client = await office.client("agent")
    response = await client.post(office.url("/"), form(**{field: "a\x00b"}))
    assert response.status_code == 422
    assert field_invalid(response.text, field)
    assert await count(office.tenant) == 0
