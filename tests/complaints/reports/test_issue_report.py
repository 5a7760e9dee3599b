"""A art. 20's last step: the analysis report of a period issued to management (上报经营管理层).
One row per period with the headline figures frozen as they were, refused a second time, bad
input a 4xx naming the field that writes nothing, only for complaints.reports, each tenant's own;
the analysis page's button posts it and the page then says who issued it, the note escaped."""

from __future__ import annotations

import json
from datetime import date

import pytest
from litestar.exceptions import PermissionDeniedException

from kefu.audit.tables import AuditEvent
from kefu.complaints.queries.reports import issued as q
from kefu.complaints.queries.reports.periods import numbered_period
from kefu.complaints.services import issue_analysis_report
from kefu.complaints.tables import ComplaintReportIssue
from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests.complaints.reports.conftest import insert_complaint
from tests.complaints.reports.support import issue_report
from tests.fixtures import staff_of

ROLES = {"head": "cs_head", "agent": "agent"}
Q1 = numbered_period("quarter", 2026, 1)
XSS = '<script>alert("x")</script>'


async def _rows(tenant) -> list[dict]:
    async with transaction(tenant.id, write=False):
        return await scoped(ComplaintReportIssue, tenant.id).order_by(ComplaintReportIssue.id)


def _figures(row: dict) -> dict:
    return json.loads(row["figures"]) if isinstance(row["figures"], str) else row["figures"]


async def _insurer():
    staff = await staff_of("insurance", ROLES, fresh=True, locale="zh_CN")
    for day in (date(2026, 1, 5), date(2026, 3, 2)):
        await insert_complaint(staff.tenant, received_on=day)
    return staff


async def test_issuing_freezes_the_headline_figures_and_a_period_is_issued_once():
    staff = await _insurer()
    ctx = await staff.ctx("head")
    issue_id = await issue_report(ctx, Q1, "呈总经理室")
    [row] = await _rows(staff.tenant)
    assert (row["id"], row["period_kind"], row["period_key"], row["first_day"], row["last_day"], row["note"],
            row["issued_by_id"]) == (issue_id, "quarter", "2026Q1", date(2026, 1, 1), date(2026, 3, 31), "呈总经理室",
                                  staff.users["head"].id)
    assert _figures(row)["received"] == 2 and _figures(row)["period"]["key"] == "2026Q1"
    # A complaint registered later into the quarter changes the live report, not the issued one.
    await insert_complaint(staff.tenant, received_on=date(2026, 2, 9))
    assert (await q.issued_report(staff.tenant.id, issue_id))["figures"]["received"] == 2
    with pytest.raises(Refused) as again:
        await issue_report(ctx, Q1, "再报一次")
    assert again.value.code == "already_issued" and staff.users["head"].name in again.value.translated()
    assert len(await _rows(staff.tenant)) == 1
    async with transaction(staff.tenant.id, write=False):
        events = await scoped(AuditEvent, staff.tenant.id).where(AuditEvent.action == "complaints.report_issue")
    assert [e["object_id"] for e in events] == [issue_id]
    # Another period (the half-year) is its own issue.
    await issue_report(ctx, numbered_period("half", 2026, 1))
    assert len(await _rows(staff.tenant)) == 2


async def test_bad_input_and_a_member_without_the_permission_write_nothing(app):
    staff = await staff_of("insurance", ROLES, app=app, fresh=True)
    ctx = await staff.ctx("head")
    with pytest.raises(FieldError) as long_note:
        await issue_report(ctx, Q1, "x" * 501)
    assert long_note.value.field == "note"
    with pytest.raises(FieldError):
        await issue_report(ctx, Q1, "呈\x1b[31m总经理")
    with pytest.raises(Refused) as future:
        await issue_report(ctx, numbered_period("quarter", 2026, 3))
    assert future.value.code == "period"
    with pytest.raises(PermissionDeniedException):
        await issue_report(await staff.ctx("agent"), Q1)
    for forged in ({}, {"period": {"kind": "decade", "key": "x", "start": "2026-01-01", "end": "2026-03-31"}},
                   {"period": {"kind": "custom", "key": "x", "start": "2026-03-31", "end": "2026-01-01"}},
                   {"period": {"kind": "month", "key": "x", "start": "01/01/2026", "end": "2026-01-31"}}):
        with pytest.raises(FieldError) as bad_period:
            await issue_analysis_report(ctx, forged)
        assert bad_period.value.field == "period"
    head = await staff.client("head")
    url = staff.url("/complaints/reports/analysis/issue")
    good = {"period": "quarter", "year": "2026", "quarter": "1", "note": "呈总经理室"}
    for bad, field in (({**good, "period": "decade"}, "period"), ({**good, "year": "２０２６"}, "year"),
                       ({**good, "quarter": "5"}, "quarter"), ({k: v for k, v in good.items() if k != "period"}, "period"),
                       ({**good, "note": "x" * 501}, "note"), ({**good, "note": "a\x00b"}, "note"),
                       ({**good, "period": "custom", "from": "2026-03-01", "to": "2026-02-01"}, "to")):
        answer = await head.post(url, bad)
        assert 400 <= answer.status_code < 500 and answer.status_code != 404, (bad, answer.status_code)
        assert f"<strong>{field}</strong>" in answer.text, bad  # the error names the field
    assert (await (await staff.client("agent")).post(url, good)).status_code == 403
    assert await _rows(staff.tenant) == []
    assert (await head.post(url, good)).status_code == 303
    again = await head.post(url, good)
    assert again.status_code == 409 and "already issued" in again.text
    assert len(await _rows(staff.tenant)) == 1


async def test_another_tenants_issue_is_neither_seen_nor_counted():
    ours, theirs = await _insurer(), await _insurer()
    issue_id = await issue_report(await theirs.ctx("head"), Q1)
    assert await q.issued_for(ours.tenant.id, Q1) is None
    assert await q.covering(ours.tenant.id, date(2026, 1, 1), date(2026, 3, 31)) is None
    assert await q.register(ours.tenant.id) == []
    assert await q.issued_period(ours.tenant.id, issue_id) is None
    assert await q.covering(theirs.tenant.id, date(2026, 1, 1), date(2026, 3, 31)) == issue_id


async def test_the_analysis_page_issues_the_period_and_then_says_so(app):
    staff = await staff_of("insurance", ROLES, app=app, fresh=True, locale="zh_CN",
                           names={"head": "孙主任", "agent": "陈静"})
    head = await staff.client("head")
    page_url = staff.url("/complaints/reports/analysis?period=quarter&year=2026&quarter=1")
    page = await head.get(page_url)
    assert page.status_code == 200 and 'id="issue-form"' in page.text and "上报经营管理层" in page.text
    assert (await (await staff.client("agent")).get(page_url)).status_code == 403
    form = page.text.split('id="issue-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="quarter" value="1"' in form and 'name="period" value="quarter"' in form
    posted = await head.post(staff.url("/complaints/reports/analysis/issue"),
                             {"period": "quarter", "year": "2026", "quarter": "1", "month": "4", "note": XSS})
    assert posted.status_code == 303
    after = await head.get(posted.headers["location"])
    assert after.status_code == 200 and "已上报经营管理层" in after.text and "孙主任" in after.text
    assert 'id="issue-form"' not in after.text
    assert XSS not in after.text and "&lt;script&gt;" in after.text
    register = await head.get(staff.url("/complaints/reports/issued"))
    assert register.status_code == 200 and "孙主任" in register.text and XSS not in register.text
    [row] = await _rows(staff.tenant)
    detail = await head.get(staff.url(f"/complaints/reports/issued/{row['id']}"))
    assert detail.status_code == 200 and 'id="figure-received"' in detail.text and XSS not in detail.text
    # Another quarter of the same page still offers the button.
    assert 'id="issue-form"' in (await head.get(staff.url(
        "/complaints/reports/analysis?period=quarter&year=2025&quarter=4"))).text
