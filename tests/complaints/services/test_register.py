"""Registering complaints (A art. 11–13): numbers, idempotency, channels, and bad input."""

import asyncio
from datetime import date

import pytest

from kefu.complaints import services
from kefu.complaints.tables import Complaint, ComplaintCounter
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped, scoped_count
from kefu.db import transaction
from tests.complaints.services.conftest import TODAY, complaint_data, make_desk


async def counts(tenant_id: int) -> tuple[int, list]:
    async with transaction(tenant_id, write=False):
        n = await scoped_count(Complaint, tenant_id)
        counter = await scoped(ComplaintCounter, tenant_id, ComplaintCounter.year,
                               ComplaintCounter.value)
    return n, counter


async def test_numbers_are_per_tenant_and_year_and_read_out_loud(desk, other_desk):
    first = await services.register_complaint(desk.agent, complaint_data())
    second = await services.register_complaint(desk.agent, complaint_data())
    elsewhere = await services.register_complaint(other_desk.agent, complaint_data())
    assert (first.number, second.number) == ("TS2026-000001", "TS2026-000002")
    assert elsewhere.number == "TS2026-000001"
    property_desk = await make_desk("property")
    resident = await services.register_complaint(
        property_desk.agent, complaint_data(category="repair", customer_ref="3-2-1501")
    )
    assert resident.number == "KS2026-000001"


async def test_concurrent_registrations_get_distinct_numbers(desk):
    # Separate tasks, each opening its own transaction (not one shared transaction).
    made = await asyncio.gather(
        *[services.register_complaint(desk.agent, complaint_data()) for _ in range(12)]
    )
    assert sorted(c.number for c in made) == [f"TS2026-{i:06d}" for i in range(1, 13)]
    assert len({c.public_token for c in made}) == 12


async def test_a_double_submit_creates_one_complaint(desk):
    data = complaint_data(idempotency_key="form-7f3a9c21")
    first = await services.register_complaint(desk.agent, data)
    again = await services.register_complaint(desk.agent, data)
    assert again.id == first.id
    racing = await asyncio.gather(
        *[services.register_complaint(desk.agent, complaint_data(idempotency_key="api-0042-x"))
          for _ in range(5)]
    )
    assert len({c.id for c in racing}) == 1
    # A replay consumes no number: the next complaint follows on.
    nxt = await services.register_complaint(desk.agent, complaint_data())
    assert nxt.number == "TS2026-000003"
    assert (await counts(desk.tenant.id))[0] == 3


async def test_the_same_key_in_another_tenant_is_another_complaint(desk, other_desk):
    data = complaint_data(idempotency_key="shared-key-1")
    a = await services.register_complaint(desk.agent, data)
    b = await services.register_complaint(other_desk.agent, data)
    assert a.id != b.id


async def test_public_form_is_online_and_cannot_claim_a_regulator_or_major(desk):
    data = complaint_data(channel="regulator", is_major=True, regulator={"unit": "某监管局"})
    c = await services.register_public_complaint(desk.tenant, data)
    assert (c.channel, c.source, c.registered_by, c.is_major, c.regulator_unit) == (
        "online", "public", None, False, ""
    )
    assert len(c.public_token) >= 22  # 192 bits, URL-safe


async def test_regulator_transfer_keeps_the_report_it_asks_for(desk):
    c = await services.register_complaint(desk.agent, complaint_data(
        channel="regulator", received_on="2026-02-27",
        regulator={"unit": "国家金融监督管理总局某监管分局", "reference": "监转〔2026〕12号",
                   "report_requested": "书面报告处理结果", "report_due": "2026-03-20"},
    ), source="api")
    assert (c.source, c.received_on, c.regulator_ref, c.regulator_report_due) == (
        "api", date(2026, 2, 27), "监转〔2026〕12号", date(2026, 3, 20)
    )
    c = await services.record_regulator_report(desk.handler, c.id)
    assert c.regulator_report_sent_on == TODAY


async def test_phone_and_email_are_stored_normalised(desk):
    c = await services.register_complaint(
        desk.agent, complaint_data(complainant_phone="(010) 6512-3456", complainant_email="Zhang@EXAMPLE.test")
    )
    assert (c.complainant_phone, c.complainant_email) == ("01065123456", "zhang@example.test")


LONG = "长" * 10_001
BAD_INPUT = [
    ({"channel": "pigeon"}, "channel"),
    ({"channel": None}, "channel"),
    ({"received_on": "2026-13-01"}, "received_on"),
    ({"received_on": "yesterday"}, "received_on"),
    ({"received_on": "2026-03-03"}, "received_on"),  # tomorrow
    ({"received_on": 20260301}, "received_on"),
    ({"complainant_name": ""}, "complainant.name"),
    ({"complainant_name": "名" * 101}, "complainant.name"),
    ({"complainant_phone": "call me"}, "complainant.phone"),
    ({"complainant_phone": "1" * 31}, "complainant.phone"),
    ({"complainant_phone": "", "complainant_email": ""}, "complainant.phone"),
    ({"complainant_email": "not-an-email"}, "complainant.email"),
    ({"complainant_email": "a@b"}, "complainant.email"),
    ({"complainant_email": "x" * 250 + "@example.test"}, "complainant.email"),
    ({"complainant_address": "址" * 301}, "complainant.address"),
    ({"complainant_relation": "cousin"}, "complainant.relation"),
    ({"complainant_authorisation_doc": "maybe"}, "complainant.authorisation_doc"),
    ({"customer_ref": "P" * 65}, "customer_ref"),
    ({"subject": ""}, "subject"),
    ({"subject": "题" * 201}, "subject"),
    ({"subject": ["not", "text"]}, "subject"),
    ({"description": ""}, "description"),
    ({"description": LONG}, "description"),
    ({"category": "weather"}, "category"),
    ({"category": "repair"}, "category"),  # a property category, not an insurer's
    ({"materials_complete": "perhaps"}, "materials_complete"),
    ({"is_major": "perhaps"}, "is_major"),
    ({"channel": "regulator"}, "regulator.unit"),
    ({"channel": "regulator", "regulator": {"unit": "局" * 201}}, "regulator.unit"),
    ({"channel": "regulator", "regulator": {"unit": "某局", "report_due": "2026-02-30"}},
     "regulator.report_due"),
    ({"idempotency_key": "short"}, "idempotency_key"),
    ({"idempotency_key": "has spaces in it"}, "idempotency_key"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT, ids=[f for _, f in BAD_INPUT])
async def test_bad_input_names_the_field_and_changes_nothing(desk, change, field):
    before = await counts(desk.tenant.id)
    with pytest.raises(FieldError) as error:
        await services.register_complaint(desk.agent, complaint_data(**change))
    assert error.value.field == field
    # The public form overrides channel, regulator, the major flag, the receipt date (today)
    # and the materials check (staff do it); the rest is validated the same way.
    overridden = ("channel", "is_major", "received_on", "materials_complete")
    if field not in overridden and not field.startswith("regulator"):
        with pytest.raises(FieldError) as public_error:
            await services.register_public_complaint(desk.tenant, complaint_data(**change))
        assert public_error.value.field == field
    assert await counts(desk.tenant.id) == before


async def test_check_returns_every_error_at_once(desk):
    from kefu.complaints.policy import policy_for
    from kefu.complaints.schemas import check_new_complaint

    data = complaint_data(channel="x", subject="", complainant_email="bad")
    complaint, errors = check_new_complaint(data, policy_for("insurance"), TODAY)
    assert complaint is None
    assert set(errors) == {"channel", "subject", "complainant.email"}


async def test_public_form_cannot_backdate_or_skip_the_materials_check(desk):
    # Given a public submission that claims an earlier receipt and complete materials,
    # then the complaint is received today and waits for staff to check the materials.
    complaint = await services.register_public_complaint(
        desk.tenant, complaint_data(received_on="2026-01-05", materials_complete=True)
    )
    assert complaint.received_on != date(2026, 1, 5)
    assert complaint.materials_complete_on is None
