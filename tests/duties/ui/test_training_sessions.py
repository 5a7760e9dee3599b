"""Training sessions and the yearly plan (A art. 8; B.n, C.o): a session records who attended
and who passed in one go (bad input changes nothing, free text escaped), a pass clears the
attendee at the gate at once and a failure does not; the plan sets each line beside the
sessions held."""

from __future__ import annotations

from datetime import date

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.services import missing_training
from kefu.duties.tables import TrainingPlanItem, TrainingRecord, TrainingSession

ROLES = {"head": "cs_head", "agent": "agent", "sales": "cs_manager"}
XSS = '<img src=x onerror="alert(1)">'


async def _rows(tenant, table):
    async with transaction(tenant.id, write=False):
        return await scoped(table, tenant.id)


async def test_a_session_records_attendance_and_results_and_clears_who_passed(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 3, 2))
    staff = await make_staff("insurance", ROLES, locale="zh_CN", cleared=False, fresh=True)
    head = await staff.client("head")
    agent, sales = str(staff.users["agent"].id), str(staff.users["sales"].id)
    url = staff.url("/duties/training/sessions")
    good = {"course": "pre_job", "department": "service_centre", "session_on": "2026-03-02", "trainer": XSS,
            "place": "三楼培训室", "attended": [agent, sales], "passed": [agent]}
    for bad in ({**good, "course": "cooking"}, {**good, "department": "moon"}, {**good, "session_on": "2026-03-03"},
                {**good, "attended": []}, {**good, "attended": [agent, "99999999"]},
                {**good, "attended": [sales], "passed": [agent]}, {**good, "trainer": "x" * 101},
                {**good, "session_on": ""}):
        page = await head.post(url, bad)
        assert page.status_code == 422 and "kefu-error" in page.text, bad
    assert await _rows(staff.tenant, TrainingSession) == [] and await _rows(staff.tenant, TrainingRecord) == []
    assert (await (await staff.client("agent")).post(url, good)).status_code == 403
    made = await head.post(url, good)
    assert made.status_code == 303
    page = await head.get(made.headers["location"])
    assert XSS not in page.text and "&lt;img" in page.text and "三楼培训室" in page.text
    [session] = await _rows(staff.tenant, TrainingSession)
    records = {r["user_id"]: r for r in await _rows(staff.tenant, TrainingRecord)}
    assert {r["session"] for r in records.values()} == {session["id"]}
    assert records[int(agent)]["result"] == "passed" and records[int(agent)]["expires_on"] is not None
    assert records[int(sales)]["result"] == "failed" and records[int(sales)]["expires_on"] is None
    assert await missing_training(staff.tenant.id, "insurance", int(agent), date(2026, 3, 2)) == []
    assert "pre_job" in await missing_training(staff.tenant.id, "insurance", int(sales), date(2026, 3, 2))
    listed = await head.get(url)
    assert "1/2" in listed.text


async def test_the_plan_sets_each_line_beside_the_sessions_held(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 5, 10))
    staff = await make_staff("insurance", ROLES, locale="zh_CN")
    head = await staff.client("head")
    url = staff.url("/duties/training/plan")
    good = {"year": "2026", "month": "3", "department": "service_centre", "course": "pre_job", "note": XSS}
    for bad in ({**good, "year": "2031"}, {**good, "year": "二〇二六"}, {**good, "month": "13"},
                {**good, "department": "moon"}, {**good, "course": "x"}, {**good, "note": "x" * 201}):
        assert (await head.post(url, bad)).status_code == 422, bad
    assert await _rows(staff.tenant, TrainingPlanItem) == []
    assert (await head.post(url, good)).status_code == 303
    assert (await head.post(url, {**good, "month": "4"})).status_code == 303
    await head.post(staff.url("/duties/training/sessions"), {
        "course": "pre_job", "session_on": "2026-03-20", "attended": [str(staff.users["agent"].id)],
        "passed": [str(staff.users["agent"].id)]})
    page = await head.get(url + "?year=2026")
    assert XSS not in page.text and "&lt;img" in page.text
    rows = {r["month"]: r["id"] for r in await _rows(staff.tenant, TrainingPlanItem)}
    march = page.text.split(f'id="plan-{rows[3]}"')[1].split("</tr>")[0]
    april = page.text.split(f'id="plan-{rows[4]}"')[1].split("</tr>")[0]
    assert "2026年3月20日" in march and "未举办" in april
    assert (await head.get(url + "?year=abc")).status_code == 200


async def test_a_session_issues_certificate_numbers_unique_in_the_tenant(make_staff, frozen_clock):
    import asyncio
    import io

    import openpyxl

    from kefu.duties.services import Attendance, record_session

    frozen_clock.travel(date(2026, 3, 2))
    staff = await make_staff("insurance", ROLES, locale="zh_CN", cleared=False, fresh=True)
    other = await make_staff("insurance", {"head": "cs_head", "agent": "agent"}, cleared=False, fresh=True)
    head = await staff.client("head")
    agent, sales, boss = (str(staff.users[w].id) for w in ("agent", "sales", "head"))
    url = staff.url("/duties/training/sessions")
    made = await head.post(url, {"course": "pre_job", "session_on": "2026-03-02", "attended": [agent, sales, boss],
                                 "passed": [agent, boss]})
    assert made.status_code == 303
    numbers = {r["user_id"]: r["certificate_no"] for r in await _rows(staff.tenant, TrainingRecord)}
    assert sorted(n for n in numbers.values() if n) == ["PRE_JOB-2026-0001", "PRE_JOB-2026-0002"]
    assert numbers[int(sales)] == ""  # a failure gets none
    page = await head.get(made.headers["location"])
    assert numbers[int(agent)] in page.text and numbers[int(boss)] in page.text
    # The next session continues the series; the first's numbers stay; another tenant starts its own.
    assert (await head.post(url, {"course": "pre_job", "session_on": "2026-03-02", "attended": [sales],
                                  "passed": [sales]})).status_code == 303
    after = {(r["user_id"], r["session"]): r["certificate_no"] for r in await _rows(staff.tenant, TrainingRecord)}
    assert sorted(n for n in after.values() if n) == ["PRE_JOB-2026-0001", "PRE_JOB-2026-0002", "PRE_JOB-2026-0003"]
    assert (await head.get(made.headers["location"])).text.count("PRE_JOB-2026-000") == 2
    assert (await (await other.client("head")).post(other.url("/duties/training/sessions"), {
        "course": "pre_job", "session_on": "2026-03-02", "attended": [str(other.users["agent"].id)],
        "passed": [str(other.users["agent"].id)]})).status_code == 303
    assert [r["certificate_no"] for r in await _rows(other.tenant, TrainingRecord)] == ["PRE_JOB-2026-0001"]
    # Two sessions recorded at the same moment never share a number.
    ctx = await staff.ctx("head")
    await asyncio.gather(*(record_session(ctx, course="pre_job", session_on=date(2026, 3, 1),
                                          attendees=[Attendance(int(agent), True)]) for _ in range(2)))
    issued = [r["certificate_no"] for r in await _rows(staff.tenant, TrainingRecord) if r["certificate_no"]]
    assert len(issued) == len(set(issued)) == 5
    # A result typed in by hand may not take an issued number.
    page = await head.post(staff.url("/duties/training"), {"user_id": agent, "course": "pre_job",
                                                           "session_on": "2026-03-01", "result": "passed",
                                                           "certificate_no": "PRE_JOB-2026-0001"})
    assert page.status_code == 422 and "kefu-error" in page.text
    # The register exports every number with its holder.
    sheet = await head.get(staff.url("/duties/training/certificates.xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    assert {r[0] for r in rows if r and str(r[0]).startswith("PRE_JOB-")} == set(issued)
    assert (await (await staff.client("agent")).get(staff.url("/duties/training/certificates.xlsx"))).status_code == 403
