"""A art. 13: a regulator-transferred complaint yields a written report (PDF, Chinese glyphs)
from the case record; other complaints have none; another tenant's id is a 404."""

from __future__ import annotations

import uuid
from datetime import date

import pytest_asyncio

from kefu.complaints import services
from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.tenancy.tables import Membership
from tests import factories
from tests.complaints.reports.conftest import TODAY, at, insert_complaint
from tests.complaints.reports.support import assert_pdf_shows, pdf_text
from tests.fixtures import Client
from tests.jobs import job_file


async def context(tenant, user) -> TenantContext:
    async with transaction(tenant.id, write=False):
        membership = await scoped_objects(Membership, tenant.id).where(Membership.user == user.id).first()
    pack = get_pack(tenant.kind)
    return TenantContext(tenant=tenant, user=user, membership=membership, pack=pack,
                         permissions=pack.permissions_of(membership.positions_list()))


TRANSFER = {
    "channel": "regulator", "received_on": "2026-04-01",
    "complainant": {"name": "赵六", "phone": "13700001111", "relation": "consumer"},
    "customer_ref": "P-2026-0099", "subject": "退保金额计算有误",
    "description": "投诉人称退保时现金价值计算错误，少退人民币三千元。", "category": "premium",
    "materials_complete": True,
    "regulator": {"unit": "国家金融监督管理总局上海监管局", "reference": "沪金监转〔2026〕118号",
                  "report_requested": "请于收到后十五日内书面报告核查处理情况。", "report_due": "2026-04-16"},
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def case(app):
    """A transferred complaint taken through review, handling and decision by the services."""
    tenant = await factories.tenant(kind="insurance", name="戊保险 Regulator Case " + uuid.uuid4().hex[:6])
    admin = await factories.member(tenant, ["admin"], name="Head 赵强")
    ctx = await context(tenant, admin)
    with clock.frozen(at(TODAY)):
        c = await services.register_complaint(ctx, TRANSFER)
        await services.review_complaint(ctx, c.id, outcome="accept")
        await services.assign_handler(ctx, c.id, handler_id=admin.id)
        await services.record_decision(
            ctx, c.id, decision="partly", text="经核查，现金价值计算有误，差额予以补退。", remedy="补退人民币三千元。",
        )
    plain = await insert_complaint(tenant, received_on=date(2026, 4, 2))
    return {"tenant": tenant, "admin": admin, "complaint": c, "plain": plain}


async def test_the_report_tells_the_regulator_what_happened(app, case):
    client = Client(app)
    await client.signin(case["admin"].email)
    c = case["complaint"]
    started = await client.post(f"/t/{case['tenant'].slug}/complaints/{c.id}/regulator-report.pdf")
    response = await job_file(client, started, case["tenant"].id)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert c.number in response.headers["content-disposition"]
    # In the tenant's language (Chinese), whatever the reader's; CJK glyphs embedded.
    assert_pdf_shows(
        response.content, f"关于投诉{c.number}处理情况的报告", "国家金融监督管理总局上海监管局",
        "沪金监转〔2026〕118号", "请于收到后十五日内书面报告核查处理情况。", "2026年4月16日",
        "投诉人称退保时现金价值计算错误，少退人民币三千元。", "部分支持", "经核查，现金价值计算有误，差额予以补退。",
        "补退人民币三千元。", "受理通知", "2026年4月15日",
    )
    text = pdf_text(response.content)
    if text is not None:
        assert "张三" not in text  # nothing of other complaints
    await client.aclose()


async def test_a_complaint_not_transferred_by_a_regulator_is_409_with_a_reason(app, case):
    client = Client(app)
    await client.signin(case["admin"].email)
    response = await client.post(f"/t/{case['tenant'].slug}/complaints/{case['plain'].id}/regulator-report.pdf")
    assert response.status_code == 409
    assert "not passed on from outside" in response.text
    await client.aclose()


async def test_another_tenants_complaint_is_404(as_carol, as_alice, cast, case):
    c = case["complaint"]
    for client, slug in ((as_carol, cast.tenant_b.slug), (as_alice, cast.tenant_a.slug)):
        response = await client.post(f"/t/{slug}/complaints/{c.id}/regulator-report.pdf")
        assert response.status_code == 404
        assert "国家金融监督管理总局" not in response.text and c.number not in response.text
    response = await as_carol.post(f"/t/{case['tenant'].slug}/complaints/{c.id}/regulator-report.pdf")
    assert response.status_code == 404


async def test_a_missing_complaint_is_404_and_an_agent_403(app, case, as_bob, cast):
    client = Client(app)
    await client.signin(case["admin"].email)
    response = await client.post(f"/t/{case['tenant'].slug}/complaints/999999999/regulator-report.pdf")
    assert response.status_code == 404
    await client.aclose()
    response = await as_bob.post(f"/t/{cast.tenant_a.slug}/complaints/{case['complaint'].id}/regulator-report.pdf")
    assert response.status_code == 403
