"""Meetings: recorded with agenda, attendees and minutes (bad input changes nothing, free text
escaped), action items with owners and due dates closed once, and B.j's weekly task closing
itself once that week's department meeting is minuted."""

from __future__ import annotations

from datetime import date

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.services import sweep_tenant
from kefu.duties.tables import DutyTask, Meeting, MeetingAction

ROLES = {"mgr": "manager", "sup": "relations_supervisor", "desk": "front_desk"}
XSS = '<img src=x onerror="alert(1)">'


async def _rows(tenant, table, *where):
    async with transaction(tenant.id, write=False):
        query = scoped(table, tenant.id)
        return await (query.where(*where) if where else query)


async def test_meeting_form_refuses_bad_input_then_records(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 4))
    staff = await make_staff("property", ROLES, locale="zh_CN")
    mgr = await staff.client("mgr")
    url = staff.url("/duties/meetings/")
    good = {"kind": "department", "title": "第45周部门例会", "held_on": "2026-11-04", "agenda": "1. 催缴",
            "attendees": "孙经理\n陈静", "minutes": XSS}
    for bad in ({**good, "title": ""}, {**good, "kind": "party"}, {**good, "held_on": "2026-11-05"},
                {**good, "held_on": "04/11/2026"}, {**good, "minutes": "x" * 10_001}):
        page = await mgr.post(url, bad)
        assert page.status_code == 422 and 'aria-invalid="true"' in page.text, bad
    assert await _rows(staff.tenant, Meeting) == []
    assert (await (await staff.client("desk")).post(url, good)).status_code == 403
    made = await mgr.post(url, good)
    assert made.status_code == 303
    page = await mgr.get(made.headers["location"])
    assert XSS not in page.text and "&lt;img" in page.text and "孙经理" in page.text


async def test_action_items_have_owners_and_close_once(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 4))
    staff = await make_staff("property", ROLES)
    mgr = await staff.client("mgr")
    made = await mgr.post(staff.url("/duties/meetings/"), {"kind": "owners_assembly", "title": "业主大会筹备",
                                                          "held_on": "2026-11-04"})
    meeting_url = made.headers["location"]
    sup = str(staff.users["sup"].id)
    for bad in ({"title": "公告", "owner_id": "0", "due_on": "2026-11-10"},
                {"title": "公告", "owner_id": "99999999", "due_on": "2026-11-10"},
                {"title": "公告", "owner_id": sup, "due_on": "2026-11-01"},
                {"title": "", "owner_id": sup, "due_on": "2026-11-10"}):
        assert (await mgr.post(meeting_url + "/actions", bad)).status_code == 422, bad
    assert await _rows(staff.tenant, MeetingAction) == []
    assert (await mgr.post(meeting_url + "/actions", {"title": "张贴业主大会公告", "owner_id": sup,
                                                      "due_on": "2026-11-10"})).status_code == 303
    [item] = await _rows(staff.tenant, MeetingAction)
    close = staff.url(f"/duties/meetings/items/{item['id']}/close")
    assert (await mgr.post(close)).status_code == 303
    assert (await mgr.post(close)).status_code == 409
    [item] = await _rows(staff.tenant, MeetingAction)
    assert (item["status"], item["done_on"]) == ("done", date(2026, 11, 4))


async def test_minutes_close_the_weekly_meeting_duty(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))  # Monday of ISO week 45
    staff = await make_staff("property", ROLES)
    await sweep_tenant(staff.tenant)
    mgr = await staff.client("mgr")
    # Minutes of another kind of meeting, or a department meeting without minutes, do not count.
    await mgr.post(staff.url("/duties/meetings/"), {"kind": "canteen", "title": "伙委会", "held_on": "2026-11-02",
                                                    "minutes": "菜价"})
    await mgr.post(staff.url("/duties/meetings/"), {"kind": "department", "title": "例会", "held_on": "2026-11-02"})
    await sweep_tenant(staff.tenant)
    [task] = await _rows(staff.tenant, DutyTask, DutyTask.duty_code == "b_j")
    assert (task["period_key"], task["status"]) == ("2026-W45", "open")
    await mgr.post(staff.url("/duties/meetings/"), {"kind": "department", "title": "例会", "held_on": "2026-11-02",
                                                    "minutes": "本周催缴进度"})
    await sweep_tenant(staff.tenant)
    [task] = await _rows(staff.tenant, DutyTask, DutyTask.duty_code == "b_j")
    assert task["status"] == "done" and task["evidence_ref"].startswith("meeting:")
    # The task page names the minuted meeting and links to it.
    meeting_id = task["evidence_ref"].split(":")[1]
    page = await mgr.get(staff.url(f"/duties/tasks/{task['id']}"))
    record = page.text.split('id="evidence-record"', 1)[1].split("</p>", 1)[0]
    assert f'href="{staff.url(f"/duties/meetings/{meeting_id}")}"' in record and f"Meeting minutes #{meeting_id}" in record


async def test_minutes_print_as_a_pdf_with_chinese_glyphs(make_staff, frozen_clock):
    from tests.complaints.reports.support import assert_pdf_shows
    from tests.jobs import job_file

    frozen_clock.travel(date(2026, 11, 4))
    staff = await make_staff("property", ROLES, locale="zh_CN")
    mgr = await staff.client("mgr")
    made = await mgr.post(staff.url("/duties/meetings/"), {
        "kind": "department", "title": "第45周部门例会", "held_on": "2026-11-04", "agenda": "物业费催缴",
        "attendees": "孙经理\n陈静", "minutes": "决定：本周走访欠费业主"})
    meeting_url = made.headers["location"]
    await mgr.post(meeting_url + "/actions", {"title": "走访三户欠费业主", "owner_id": str(staff.users["sup"].id),
                                              "due_on": "2026-11-10"})
    page = await mgr.get(meeting_url)
    assert f'action="{meeting_url}/minutes.pdf"' in page.text  # the button posts: a print job
    got = await job_file(mgr, await mgr.post(meeting_url + "/minutes.pdf"), staff.tenant.id)
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/pdf")
    assert "minutes-" in got.headers["content-disposition"]
    assert_pdf_shows(got.content, "会议纪要", "第45周部门例会", "本周走访欠费业主", "走访三户欠费业主", "陈静")
    assert (await (await staff.client("desk")).post(meeting_url + "/minutes.pdf")).status_code == 403
