"""The duties pages: my duties, a task done with its evidence (bad input changes nothing, in the
user's language), the board with its XLSX, positions, assignments and training."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.services import sweep_tenant
from kefu.duties.tables import DutyTask, PositionAssignment, TrainingRecord
from tests.duties import factories as duties

ROLES = {"mgr": "manager", "sup": "relations_supervisor", "desk": "front_desk"}
XSS = '<script>alert("x")</script>'


async def _rows(tenant, table, *where):
    async with transaction(tenant.id, write=False):
        return await scoped(table, tenant.id).where(*where) if where else await scoped(table, tenant.id)


async def _task(tenant, code):
    [row] = await _rows(tenant, DutyTask, DutyTask.duty_code == code)
    return row


async def test_my_duties_lists_the_holders_tasks(make_staff, frozen_clock):
    staff = await make_staff("property", ROLES, locale="zh_CN")
    frozen_clock.travel(date(2026, 11, 2))
    await sweep_tenant(staff.tenant)
    page = await (await staff.client("sup")).get(staff.url("/duties/"))
    assert page.status_code == 200
    assert "每月定期统计在管物业入住/空置房情况和有偿服务收费情况。" in page.text
    assert "组织制定部门培训计划" not in page.text  # the manager's, not hers
    other = await (await staff.client("desk")).get(staff.url(f"/duties/tasks/{(await _task(staff.tenant, 'c_i'))['id']}"))
    assert other.status_code == 404


async def test_a_note_task_needs_its_note_and_escapes_it(make_staff, frozen_clock):
    staff = await make_staff("property", ROLES, locale="zh_CN")
    frozen_clock.travel(date(2026, 11, 2))
    await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "c_j")
    sup = await staff.client("sup")
    url = staff.url(f"/duties/tasks/{task['id']}")
    bad = await sup.post(url + "/complete", {"note": "  "})
    assert bad.status_code == 422 and "此项为必填项。" in bad.text
    assert (await _task(staff.tenant, "c_j"))["status"] == "open"
    control = await sup.post(url + "/complete", {"note": "催缴\x01记录"})
    assert control.status_code == 422
    done = await sup.post(url + "/complete", {"note": XSS})
    assert done.status_code == 303
    page = await sup.get(url)
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    again = await sup.post(url + "/complete", {"note": "again"})
    assert again.status_code == 409


async def test_a_checklist_task_needs_every_item(make_staff, frozen_clock):
    staff = await make_staff("property", ROLES)
    frozen_clock.travel(date(2026, 11, 2))
    await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "c_g")
    sup = await staff.client("sup")
    url = staff.url(f"/duties/tasks/{task['id']}/complete")
    half = await sup.post(url, {"checks": "0"})
    assert half.status_code == 422 and "Tick every item" in half.text
    forged = await sup.post(url, {"checks": ["0", "1", "7"]})
    assert forged.status_code == 422
    assert (await _task(staff.tenant, "c_g"))["status"] == "open"
    assert (await sup.post(url, {"checks": ["0", "1"]})).status_code == 303
    assert (await _task(staff.tenant, "c_g"))["status"] == "done"


async def test_an_upload_task_keeps_its_file(make_staff, frozen_clock):
    staff = await make_staff("property", ROLES)
    frozen_clock.travel(date(2026, 11, 2))
    await sweep_tenant(staff.tenant)
    task = await _task(staff.tenant, "b_e")  # a yearly duty whose evidence is a file
    sup = await staff.client("mgr")
    url = staff.url(f"/duties/tasks/{task['id']}")
    headers = {"x-csrftoken": await sup.csrf()}
    fake = await sup.http.post(url + "/complete", files={"file": ("统计.pdf", b"MZ not a pdf", "application/pdf")}, headers=headers)
    assert fake.status_code == 422 and (await _task(staff.tenant, "b_e"))["status"] == "open"
    ok = await sup.http.post(url + "/complete", files={"file": ("统计.pdf", b"%PDF-1.4 stats", "application/pdf")}, headers=headers)
    assert ok.status_code == 303
    got = await sup.get(url + "/evidence")
    assert got.status_code == 200 and got.content == b"%PDF-1.4 stats"


async def test_the_board_shows_compliance_and_exports_it(make_staff, frozen_clock):
    staff = await make_staff("property", ROLES)
    await duties.task(staff.tenant, position="relations_supervisor", duty_code="c_j", period_key="2026-10",
                      start=date(2026, 10, 1), due=date(2026, 10, 31), assignee=staff.users["sup"].id, status="done")
    await duties.task(staff.tenant, position="relations_supervisor", duty_code="c_i", period_key="2026-10",
                      start=date(2026, 10, 1), due=date(2026, 10, 31), assignee=staff.users["sup"].id)
    frozen_clock.travel(date(2026, 11, 2))
    mgr = await staff.client("mgr")
    page = await mgr.get(staff.url("/duties/board/"))
    assert page.status_code == 200 and "50.0%" in page.text and "<svg" in page.text
    sheet = await mgr.get(staff.url("/duties/board/compliance.xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    assert ["2026-10", 2, 1, 0, 1, 50.0] in [list(r[2:]) for r in rows]
    assert (await (await staff.client("desk")).get(staff.url("/duties/board/"))).status_code == 403


async def test_a_board_over_many_tasks_is_exported_by_a_job(make_staff, frozen_clock, monkeypatch):
    from tests.jobs import large_export

    # Given more tasks than a request counts itself (the limit lowered to 0),
    staff = await make_staff("property", ROLES)
    await duties.task(staff.tenant, position="relations_supervisor", duty_code="c_j", period_key="2026-10",
                      start=date(2026, 10, 1), due=date(2026, 10, 31), assignee=staff.users["sup"].id, status="done")
    await duties.task(staff.tenant, position="relations_supervisor", duty_code="c_i", period_key="2026-10",
                      start=date(2026, 10, 1), due=date(2026, 10, 31), assignee=staff.users["sup"].id)
    frozen_clock.travel(date(2026, 11, 2))
    # when the board's workbook is asked for, a job writes it.
    _, got = await large_export(await staff.client("mgr"), staff.url("/duties/board/compliance.xlsx"),
                                staff.tenant.id, monkeypatch)
    rows = list(openpyxl.load_workbook(io.BytesIO(got.content)).active.values)
    assert ["2026-10", 2, 1, 0, 1, 50.0] in [list(r[2:]) for r in rows]


async def test_positions_page_lists_every_duty(make_staff):
    staff = await make_staff("insurance", {"agent": "agent"})
    page = await (await staff.client("agent")).get(staff.url("/duties/positions"))
    assert page.status_code == 200
    assert "客户服务专员应当进行岗前培训方能上岗作业。" in page.text or "Complete pre-job training" in page.text


async def test_assignment_form_refuses_bad_input_and_records_good(make_staff):
    staff = await make_staff("property", ROLES, locale="zh_CN")
    mgr = await staff.client("mgr")
    url = staff.url("/duties/assignments")
    for data in ({"user_id": "１", "position": "front_desk", "role": "acting", "starts_on": "2026-11-01"},
                 {"user_id": str(staff.users["desk"].id), "position": "janitor", "role": "acting", "starts_on": "2026-11-01"},
                 {"user_id": str(staff.users["desk"].id), "position": "front_desk", "role": "acting", "starts_on": "2026-11-31"},
                 {"user_id": str(staff.users["desk"].id), "position": "front_desk", "role": "acting",
                  "starts_on": "2026-11-05", "ends_on": "2026-11-01"},
                 {"user_id": "999999999", "position": "front_desk", "role": "acting", "starts_on": "2026-11-01"}):
        bad = await mgr.post(url, data)
        assert bad.status_code == 422, data
        assert 'aria-invalid="true"' in bad.text
    assert await _rows(staff.tenant, PositionAssignment) == []
    good = await mgr.post(url, {"user_id": str(staff.users["desk"].id), "position": "relations_supervisor",
                                "role": "deputy", "starts_on": "2026-11-01", "note": XSS})
    assert good.status_code == 303
    page = await mgr.get(url)
    assert XSS not in page.text and "&lt;script&gt;" in page.text


async def test_training_form_refuses_bad_input_and_records_good(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await make_staff("property", ROLES, locale="zh_CN", cleared=False)
    sup = await staff.client("sup")
    url = staff.url("/duties/training")
    desk = str(staff.users["desk"].id)
    for data in ({"user_id": desk, "course": "pre_job", "session_on": "2026-11-01", "result": "passed", "score": "²"},
                 {"user_id": desk, "course": "nope", "session_on": "2026-11-01", "result": "passed"},
                 {"user_id": desk, "course": "pre_job", "session_on": "2027-01-01", "result": "passed"},
                 {"user_id": desk, "course": "pre_job", "session_on": "2026-11-01", "result": "passed", "trainer": "x" * 101}):
        bad = await sup.post(url, data)
        assert bad.status_code == 422, data
    assert await _rows(staff.tenant, TrainingRecord) == []
    page = await sup.get(url)
    assert "起未获准上岗" in page.text.split(f'id="clearance-{desk}"')[1].split("</tr>")[0]
    good = await sup.post(url, {"user_id": desk, "course": "pre_job", "session_on": "2026-11-01", "result": "passed",
                                "score": "92", "trainer": XSS})
    assert good.status_code == 303
    [row] = await _rows(staff.tenant, TrainingRecord)
    assert row["expires_on"] == date(2027, 10, 31)
    page = await sup.get(url)
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert "已获准上岗" in page.text.split(f'id="clearance-{desk}"')[1].split("</tr>")[0]
