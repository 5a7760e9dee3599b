"""A complaint registered by staff (form or API) is linked to the customer whose phone or
email it carries, when exactly one active customer has it; the complaint's page links back."""

from __future__ import annotations

from kefu.complaints import services as complaint_services
from tests.complaints.ui.support import form, register, reload
from tests.customers import factories
from tests.customers.support import customer_page_with_sections


async def test_register_form_links_the_one_matching_customer(insurer):
    c = await factories.customer(insurer.tenant, "周九", phone="13800138000", kind="policyholder")
    client = await insurer.client()
    response = await client.post(f"/t/{insurer.slug}/complaints/", form(**{
        "complainant.phone": "+86 138-0013-8000", "complainant.email": ""}))
    assert response.status_code == 303, response.text[:2000]
    complaint_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert (await reload(insurer.tenant, complaint_id)).customer == c.id
    page = await client.get(response.headers["location"])
    assert f'href="/t/{insurer.slug}/customers/{c.id}" id="customer-link"' in page.text
    customer_page = await customer_page_with_sections(client, insurer.slug, c.id)
    assert f"/t/{insurer.slug}/complaints/{complaint_id}" in customer_page


async def test_email_matches_too_and_case_does_not_matter(insurer):
    c = await factories.customer(insurer.tenant, "吴十", email="wushi@example.cn")
    complaint = await register(await insurer.ctx(), complainant_phone="", complainant_email="WuShi@Example.cn")
    assert complaint.customer == c.id


async def test_no_link_when_several_or_none_or_inactive(insurer):
    await factories.customer(insurer.tenant, "父", phone="13100131000")
    await factories.customer(insurer.tenant, "母", phone="13100131000")
    await factories.customer(insurer.tenant, "旧客户", phone="13300133000", is_active=False)
    ctx = await insurer.ctx()
    for phone in ("13100131000", "13300133000", "13900000000"):
        complaint = await register(ctx, complainant_phone=phone, complainant_email="")
        assert complaint.customer is None, phone
    page = await (await insurer.client()).get(f"/t/{insurer.slug}/complaints/{complaint.id}")
    assert 'id="customer-link"' not in page.text


async def test_phone_and_email_of_two_different_customers_is_no_match(insurer):
    await factories.customer(insurer.tenant, "甲", phone="13400134000")
    await factories.customer(insurer.tenant, "乙", email="yi@example.cn")
    complaint = await register(await insurer.ctx(), complainant_phone="13400134000",
                               complainant_email="yi@example.cn")
    assert complaint.customer is None


async def test_another_tenants_customer_is_never_linked(insurer, cast):
    await factories.customer(cast.tenant_a, "别家客户", phone="13500135111")
    complaint = await register(await insurer.ctx(), complainant_phone="13500135111", complainant_email="")
    assert complaint.customer is None


async def test_public_form_does_not_link(insurer):
    await factories.customer(insurer.tenant, "郑一", phone="13600136111")
    complaint = await complaint_services.register_public_complaint(insurer.tenant, {
        "complainant": {"name": "郑一", "phone": "13600136111"},
        "subject": "服务态度", "description": "经过", "category": "other",
    })
    assert complaint.customer is None
