"""Tenant administrators edit departments, positions and duty items, starting from the pack's:
each change audited, validated as a pack file is (bad input changes nothing, free text
escaped), and what the tenant runs on from then on: the sweep makes the new duty's task, the
position's required training is what the gate asks for. Another tenant keeps the pack's."""

from __future__ import annotations

from datetime import date

from kefu.audit.tables import AuditEvent
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.queries.config import pack_of
from kefu.duties.services import missing_training, sweep_tenant
from kefu.duties.tables import DutyConfig, DutyTask

ROLES = {"admin": "admin", "mgr": "manager", "sup": "relations_supervisor", "desk": "front_desk"}
XSS = '<img src=x onerror="alert(1)">'


async def _rows(tenant, table, *where):
    async with transaction(tenant.id, write=False):
        query = scoped(table, tenant.id)
        return await (query.where(*where) if where else query)


async def test_bad_edits_change_nothing(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await make_staff("property", ROLES, locale="zh_CN")
    admin = await staff.client("admin")
    dept = staff.url("/duties/config/departments")
    for bad in ({"code": "", "name": "工程部", "name_en": "Works"}, {"code": "Works!", "name": "工程部", "name_en": "Works"},
                {"code": "works", "name": "", "name_en": "Works"}, {"code": "works", "name": "工程部", "name_en": "W" * 101},
                {"code": "works", "name": "工程部", "name_en": "Works", "parent": "moon"},
                {"code": "cs_dept", "name": "客服部", "name_en": "CS", "parent": "cs_dept"}):
        page = await admin.post(dept, bad)
        assert page.status_code == 422 and "kefu-error" in page.text, bad
    duty = staff.url("/duties/config/duty")
    good = {"position": "front_desk", "code": "desk_keys", "text": "每日核对钥匙借用登记", "text_en": "Check the key log daily",
            "recurrence": "daily", "evidence": "note"}
    for bad in ({**good, "position": "pilot"}, {**good, "code": "2keys"}, {**good, "text": ""},
                {**good, "recurrence": "hourly"}, {**good, "evidence": ""}, {**good, "evidence": "record"},
                {**good, "evidence": "checklist"}, {**good, "record": "surveys.half_year_round"},
                {**good, "evidence": "checklist", "checklist": "钥匙\n登记", "checklist_en": "Keys"},
                {**good, "code": "c_d"}):  # another position's duty code
        page = await admin.post(duty, bad)
        assert page.status_code == 422 and "kefu-error" in page.text, bad
    position = staff.url("/duties/config/positions")
    for bad in ({"position": "front_desk", "department": "moon"}, {"position": "pilot", "department": "cs_dept"},
                {"position": "front_desk", "department": "cs_dept", "training": ["juggling"]},
                {"position": "front_desk", "department": "cs_dept", "reports_to": "front_desk"}):
        assert (await admin.post(position, bad)).status_code == 422, bad
    assert await _rows(staff.tenant, DutyConfig) == []
    # Only a tenant administrator edits.
    assert (await (await staff.client("mgr")).post(duty, good)).status_code == 403
    assert (await (await staff.client("mgr")).get(staff.url("/duties/config/"))).status_code == 403


async def test_edits_are_audited_and_run(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await make_staff("property", ROLES, locale="zh_CN")
    other = await make_staff("property", {"admin": "admin"})
    admin = await staff.client("admin")
    assert (await admin.post(staff.url("/duties/config/departments"), {
        "code": "works", "name": f"工程部{XSS}", "name_en": "Works", "parent": "cs_dept"})).status_code == 303
    assert (await admin.post(staff.url("/duties/config/duty"), {
        "position": "front_desk", "code": "desk_keys", "text": f"每日核对钥匙借用登记{XSS}",
        "text_en": "Check the key log daily", "recurrence": "daily", "evidence": "checklist",
        "checklist": "钥匙\n登记簿", "checklist_en": "Keys\nLog"})).status_code == 303
    # The manager's position now requires the pre-job course too, in the works department.
    assert (await admin.post(staff.url("/duties/config/positions"), {
        "position": "manager", "department": "works", "reports_to": "admin",
        "training": ["pre_job"]})).status_code == 303
    page = await admin.get(staff.url("/duties/config/"))
    assert XSS not in page.text and "&lt;img" in page.text and "desk_keys" in page.text
    [config] = await _rows(staff.tenant, DutyConfig)
    assert config["version"] == 3
    actions = [e["action"] for e in await _rows(staff.tenant, AuditEvent, AuditEvent.object_type == "duty_config")]
    assert sorted(actions) == ["duty_config.department", "duty_config.duty", "duty_config.position"]
    pack = await pack_of(staff.tenant.id, "property")
    assert pack.sets["manager"].department == "works" and pack.departments["works"].parent == "cs_dept"
    assert "works" not in (await pack_of(other.tenant.id, "property")).departments
    # The sweep makes the new daily duty's task for the front desk; the gate asks for the course.
    await sweep_tenant(staff.tenant)
    [task] = await _rows(staff.tenant, DutyTask, DutyTask.duty_code == "desk_keys")
    assert (task["period_key"], task["assignee_id"], task["evidence_kind"]) == ("2026-11-02", staff.users["desk"].id, "checklist")
    await sweep_tenant(other.tenant)
    assert await _rows(other.tenant, DutyTask, DutyTask.duty_code == "desk_keys") == []
    mgr = staff.users["mgr"].id
    assert "pre_job" in await missing_training(staff.tenant.id, "property", mgr, date(2026, 11, 2))
    assert "pre_job" not in await missing_training(other.tenant.id, "property", mgr, date(2026, 11, 2))
    # The duty item edited, then removed: its past task stays.
    form = await admin.get(staff.url("/duties/config/duty?code=desk_keys"))
    assert "每日核对钥匙借用登记" in form.text and "readonly" in form.text
    assert (await admin.post(staff.url("/duties/config/duty/remove"), {"position": "front_desk",
                                                                       "code": "desk_keys"})).status_code == 303
    assert "desk_keys" not in (await pack_of(staff.tenant.id, "property")).sets["front_desk"].duties.__repr__()
    assert len(await _rows(staff.tenant, DutyTask, DutyTask.duty_code == "desk_keys")) == 1
    assert (await admin.post(staff.url("/duties/config/duty/remove"), {"position": "front_desk",
                                                                       "code": "desk_keys"})).status_code == 422


async def test_courses_are_edited_and_run(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await make_staff("property", ROLES, locale="zh_CN")
    other = await make_staff("property", {"admin": "admin"})
    admin = await staff.client("admin")
    url = staff.url("/duties/config/courses")
    good = {"code": "fire_drill", "name": f"消防演练{XSS}", "name_en": "Fire drill", "valid_months": "6"}
    for bad in ({**good, "code": ""}, {**good, "code": "Fire!"}, {**good, "name": ""}, {**good, "name_en": "x" * 101},
                {**good, "valid_months": "0"}, {**good, "valid_months": "121"}, {**good, "valid_months": "six"}):
        page = await admin.post(url, bad)
        assert page.status_code == 422 and "kefu-error" in page.text, bad
    assert await _rows(staff.tenant, DutyConfig) == []
    assert (await (await staff.client("mgr")).post(url, good)).status_code == 403
    assert (await admin.post(url, good)).status_code == 303
    page = await admin.get(staff.url("/duties/config/"))
    assert XSS not in page.text and "消防演练&lt;img" in page.text
    pack = await pack_of(staff.tenant.id, "property")
    assert pack.courses["fire_drill"].valid_months == 6 and "fire_drill" not in (await pack_of(other.tenant.id, "property")).courses
    # The front desk now requires it: the gate asks for it; a course a position requires stays.
    assert (await admin.post(staff.url("/duties/config/positions"), {
        "position": "front_desk", "department": pack.sets["front_desk"].department,
        "training": [*pack.sets["front_desk"].training, "fire_drill"]})).status_code == 303
    assert "fire_drill" in await missing_training(staff.tenant.id, "property", staff.users["desk"].id, date(2026, 11, 2))
    page = await admin.post(url + "/remove", {"code": "fire_drill"})
    assert page.status_code == 422 and "kefu-error" in page.text
    # Renamed and revalidated; the session page offers it; then no position needs it and it goes.
    assert (await admin.post(url, {**good, "name": "消防演练（年度）", "valid_months": "12"})).status_code == 303
    assert (await admin.get(staff.url("/duties/training/sessions"))).text.count("消防演练（年度）") >= 1
    assert (await admin.post(staff.url("/duties/config/positions"), {
        "position": "front_desk", "department": pack.sets["front_desk"].department,
        "training": list(pack.sets["front_desk"].training)})).status_code == 303
    assert (await admin.post(url + "/remove", {"code": "fire_drill"})).status_code == 303
    assert "fire_drill" not in (await pack_of(staff.tenant.id, "property")).courses
    assert (await admin.post(url + "/remove", {"code": "fire_drill"})).status_code == 422
    actions = [e["action"] for e in await _rows(staff.tenant, AuditEvent, AuditEvent.object_type == "duty_config")]
    assert actions.count("duty_config.course") == 2 and actions.count("duty_config.course_removed") == 1
