"""Improvement actions (B.l): services (create, edit, close as done or dropped, reopen) with
their audit events and errors; the pages, the filters, the Excel export, the overdue badge,
and permissions (surveys.view to see, surveys.actions to change)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from litestar.exceptions import PermissionDeniedException
from markupsafe import escape
from openpyxl import load_workbook

from kefu.audit.tables import AuditEvent
from kefu.core import clock
from kefu.core.errors import FormErrors, Refused
from kefu.core.scoping import get_in_tenant, scoped
from kefu.db import transaction
from kefu.surveys.schemas.actions import read_form
from kefu.surveys.services import actions as a
from kefu.surveys.tables import ImprovementAction
from tests.surveys import factories as sf
from tests.surveys.results.factories import make_action
from tests.surveys.results.support import seeded_round

pytestmark = pytest.mark.asyncio(loop_scope="session")


def today(office) -> date:
    return clock.today_in(office.tenant.timezone)


def form(office, **over) -> dict[str, str]:
    data = {"title": "加强保洁", "description": "每日两次巡查", "owner_id": "", "owner_name": "保洁外包公司",
            "due_on": (today(office) + timedelta(days=30)).isoformat(), "round_id": "", "question_key": "services"}
    data.update(over)
    return data


async def load(office, action_id: int) -> ImprovementAction:
    async with transaction(office.tenant.id, write=False):
        return await get_in_tenant(ImprovementAction, office.tenant.id, action_id)


async def audit_actions(office, action_id: int) -> list[str]:
    async with transaction(office.tenant.id, write=False):
        rows = await scoped(AuditEvent, office.tenant.id, AuditEvent.action).where(
            AuditEvent.object_type == "improvement_action", AuditEvent.object_id == action_id).order_by(AuditEvent.id)
    return [r["action"] for r in rows]


async def test_lifecycle_through_the_services(office):
    ctx = await office.ctx("manager")
    round_row = await sf.survey_round(office.tenant)
    row = await a.create_action(ctx, read_form(form(office, round_id=str(round_row.id),
                                                      owner_id=str(office.users["qa"].id))))
    saved = await load(office, row.id)
    assert (saved.status, saved.owner, saved.round, saved.owner_name) == ("open", office.users["qa"].id, round_row.id, "")
    await a.update_action(ctx, row.id, read_form(form(office, title="加强保洁与绿化")))
    assert (await load(office, row.id)).title == "加强保洁与绿化"
    with pytest.raises(FormErrors) as exc:
        await a.close_action(ctx, row.id, status="done", outcome="  ")
    assert "outcome" in exc.value.errors and (await load(office, row.id)).status == "open"
    with pytest.raises(FormErrors) as exc:
        await a.close_action(ctx, row.id, status="done", outcome="好了",
                             closed_on=(today(office) + timedelta(days=1)).isoformat())
    assert "closed_on" in exc.value.errors
    await a.close_action(ctx, row.id, status="done", outcome="保洁频次已提高")
    done = await load(office, row.id)
    assert (done.status, done.outcome, done.closed_on) == ("done", "保洁频次已提高", today(office))
    with pytest.raises(Refused) as refused:
        await a.close_action(ctx, row.id, status="dropped", outcome="again")
    assert refused.value.code == "action_closed" and (await load(office, row.id)).status == "done"
    await a.reopen_action(ctx, row.id)
    assert (await load(office, row.id)).status == "open" and (await load(office, row.id)).closed_on is None
    await a.close_action(ctx, row.id, status="dropped", outcome="合同到期不续")
    assert (await load(office, row.id)).status == "dropped"
    assert await audit_actions(office, row.id) == [
        "surveys.action_created", "surveys.action_updated", "surveys.action_done", "surveys.action_reopened",
        "surveys.action_dropped"]


async def test_links_must_be_this_tenants(office, cast):
    ctx = await office.ctx("manager")
    foreign_round = await sf.survey_round(cast.tenant_b)
    with pytest.raises(FormErrors) as exc:
        await a.create_action(ctx, read_form(form(office, round_id=str(foreign_round.id),
                                                    owner_id=str(cast.carol.id))))
    assert set(exc.value.errors) == {"round_id", "owner_id"}


async def test_services_need_the_permission(office):
    ctx = await office.ctx("qa")
    with pytest.raises(PermissionDeniedException):
        await a.create_action(ctx, read_form(form(office)))


async def test_create_from_the_results_page(office):
    round_row, _ = await seeded_round(office.tenant, title="带改进措施的轮次")
    client = await office.client("manager")
    results = await client.get(office.round_url(round_row.id))
    link = f"/t/{office.tenant.slug}/surveys/actions/new?round={round_row.id}&amp;question=overall"
    assert link in results.text
    page = await client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    assert f'<option value="{round_row.id}" selected>' in page.text and 'value="overall"' in page.text
    data = form(office, round_id=str(round_row.id), question_key="overall", title="<b>提升总体满意度</b>")
    response = await client.post(office.url("/actions"), data)
    assert response.status_code == 303, response.text[:500]
    detail = await client.get(response.headers["location"])
    assert detail.status_code == 200 and str(escape("<b>提升总体满意度</b>")) in detail.text
    assert "<b>提升总体满意度</b>" not in detail.text
    results = await client.get(office.round_url(round_row.id))
    assert str(escape("<b>提升总体满意度</b>")) in results.text and "保洁外包公司" in results.text


async def test_bad_form_is_422_with_the_errors_and_nothing_saved(office):
    client = await office.client("manager")
    async with transaction(office.tenant.id, write=False):
        before = await scoped(ImprovementAction, office.tenant.id, ImprovementAction.id)
    response = await client.post(office.url("/actions"), form(office, title="", due_on="明天"))
    assert response.status_code == 422
    assert "This field is required." in response.text and "Enter a date as YYYY-MM-DD." in response.text
    assert 'value="明天"' in response.text
    async with transaction(office.tenant.id, write=False):
        assert len(await scoped(ImprovementAction, office.tenant.id, ImprovementAction.id)) == len(before)


async def test_without_surveys_actions_create_is_403(office):
    client = await office.client("qa")  # 质检岗: surveys.view only
    assert (await client.get(office.url("/actions"))).status_code == 200
    assert (await client.get(office.url("/actions/new"))).status_code == 403
    assert (await client.post(office.url("/actions"), form(office))).status_code == 403
    action_id = await make_action(office.tenant, "只读")
    assert (await client.post(office.url(f"/actions/{action_id}/close"),
                              {"status": "done", "outcome": "x"})).status_code == 403
    page = await client.get(office.url(f"/actions/{action_id}"))
    assert page.status_code == 200 and "close-action" not in page.text and "edit-action" not in page.text


async def test_close_and_reopen_pages(office):
    action_id = await make_action(office.tenant, "关闭测试")
    client = await office.client("manager")
    bad = await client.post(office.url(f"/actions/{action_id}/close"), {"status": "done", "outcome": ""})
    assert bad.status_code == 422 and "Say what was done" in bad.text
    ok = await client.post(office.url(f"/actions/{action_id}/close"), {"status": "done", "outcome": "已完成巡查"})
    assert ok.status_code == 303
    page = await client.get(office.url(f"/actions/{action_id}"))
    assert 'id="action-status">Done<' in page.text and "已完成巡查" in page.text and "Marked done" in page.text
    assert (await client.post(office.url(f"/actions/{action_id}/reopen"))).status_code == 303
    assert 'id="action-status">Open<' in (await client.get(office.url(f"/actions/{action_id}"))).text


async def test_list_filters_and_overdue_badge(office):
    round_row = await sf.survey_round(office.tenant, title="筛选用轮次")
    late = await make_action(office.tenant, "逾期的", round_id=round_row.id, due_on=today(office) - timedelta(days=3))
    fine = await make_action(office.tenant, "未到期", round_id=round_row.id)
    done = await make_action(office.tenant, "完成的", round_id=round_row.id, status="done", outcome="ok",
                             closed_on=today(office), due_on=today(office) - timedelta(days=3))
    client = await office.client("qa")
    base = office.url(f"/actions?round={round_row.id}")
    listed = await client.get(base)
    ids = set(map(int, re.findall(r'id="action-(\d+)"', listed.text)))
    assert ids == {late, fine}
    assert re.search(rf'id="action-{late}".*?kefu-badge-overdue', listed.text, re.S)
    overdue = await client.get(base + "&status=overdue")
    assert set(map(int, re.findall(r'id="action-(\d+)"', overdue.text))) == {late}
    closed = await client.get(base + "&status=done")
    assert set(map(int, re.findall(r'id="action-(\d+)"', closed.text))) == {done}
    every = await client.get(base + "&status=all", headers={"hx-request": "true"})
    assert every.text.lstrip().startswith('<section id="actions"')
    assert set(map(int, re.findall(r'id="action-(\d+)"', every.text))) == {late, fine, done}
    junk = await client.get(office.url("/actions?status=nope&round=abc&page=-3"))
    assert junk.status_code == 200


async def test_excel_export_of_the_list(office):
    round_row = await sf.survey_round(office.tenant, title="导出用轮次")
    formula = '=HYPERLINK("http://evil.example/","x")'
    await make_action(office.tenant, formula, round_id=round_row.id, due_on=today(office) - timedelta(days=1))
    response = await (await office.client("qa")).get(office.url(f"/actions/export.xlsx?round={round_row.id}"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values["Title"] == f"改进 {formula}" and values["Owner"] == "保洁外包公司"
    assert values["Overdue"] == "Yes" and values["Round"] == "导出用轮次" and values["Status"] == "Open"
    assert all(c.data_type == "s" for r in ws.iter_rows() for c in r if isinstance(c.value, str))


async def test_another_tenants_action_is_404(office, as_carol):
    action_id = await make_action(office.tenant, "别家的")
    assert (await as_carol.get(office.url(f"/actions/{action_id}"))).status_code == 404


async def test_an_owner_who_left_stays_the_owner(office):
    from kefu.tenancy.services import add_member
    from kefu.tenancy.tables import Membership
    from tests import factories

    leaver = await factories.user(name="离职 员工")
    await add_member(tenant=office.tenant, user=leaver, positions=["qa"])
    ctx = await office.ctx("manager")
    row = await a.create_action(ctx, read_form(form(office, owner_id=str(leaver.id))))
    async with transaction(office.tenant.id):
        await Membership.update({Membership.is_active: False}).where(
            Membership.tenant == office.tenant.id, Membership.user == leaver.id)
    page = await (await office.client("manager")).get(office.url(f"/actions/{row.id}"))
    assert f'<option value="{leaver.id}" selected>离职 员工</option>' in page.text
    await a.update_action(ctx, row.id, read_form(form(office, owner_id=str(leaver.id), title="仍由他负责")))
    assert (await load(office, row.id)).owner == leaver.id
    other = await factories.user(name="外人")
    with pytest.raises(FormErrors):
        await a.update_action(ctx, row.id, read_form(form(office, owner_id=str(other.id))))
