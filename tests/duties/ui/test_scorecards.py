"""Performance scorecards: each module's figures for a person and period (duties on time and
training from duties, complaints decided and on time from complaints, through
kefu.duties.registry), who sees whose card, commendations and criticisms recorded with the
record they cite (bad input changes nothing, free text escaped), and the XLSX."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.registry import metrics
from kefu.duties.tables import PerformanceNote
from tests.complaints.reports.conftest import insert_complaint
from tests.duties import factories as duties

ROLES = {"admin": "admin", "head": "cs_head", "agent": "agent", "sales": "sales"}
XSS = '<script>alert("x")</script>'


async def _notes(tenant):
    async with transaction(tenant.id, write=False):
        return await scoped(PerformanceNote, tenant.id)


async def _seed(staff):
    agent = staff.users["agent"].id
    for due, status, done in ((date(2026, 11, 10), "done", date(2026, 11, 9)),
                              (date(2026, 11, 12), "done", date(2026, 11, 15)),
                              (date(2026, 11, 15), "open", None),
                              (date(2026, 11, 30), "open", None)):  # not due yet: not counted
        row = await duties.task(staff.tenant, assignee=agent, status=status, due=due,
                                period_key=f"t{due.day}", start=date(2026, 11, 1))
        if done:
            async with transaction(staff.tenant.id):
                await type(row).update({type(row).done_on: done}).where(type(row).id == row.id)
    await insert_complaint(staff.tenant, handler=agent, status="closed", decision="upheld",
                           decided_on=date(2026, 11, 5), decision_due=date(2026, 11, 10))
    late = await insert_complaint(staff.tenant, handler=agent, status="closed", decision="not_upheld",
                                  decided_on=date(2026, 11, 18), decision_due=date(2026, 11, 12),
                                  subject="保单退保纠纷")
    await insert_complaint(staff.tenant, handler=agent, status="closed", decision="upheld",  # October
                           decided_on=date(2026, 10, 30), decision_due=date(2026, 10, 29))
    return late


def test_the_registry_holds_duties_and_complaints_rows():
    codes = [m.code for m in metrics()]
    assert {"duties.on_time", "duties.training", "complaints.decided", "complaints.on_time"} <= set(codes)
    assert codes.index("duties.on_time") < codes.index("complaints.on_time")


async def test_a_card_shows_each_modules_figures_for_the_period(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 20))
    staff = await make_staff("insurance", ROLES, locale="zh_CN")
    await _seed(staff)
    head = await staff.client("head")
    page = await head.get(staff.url(f"/duties/scorecards/{staff.users['agent'].id}?period=2026-11"))
    assert page.status_code == 200
    text = page.text
    assert "33.3% (1/3)" in text  # duties: one of three due tasks done by its due date
    assert "50.0% (1/2)" in text  # complaints: one of two decided in November by its due date
    assert "100.0% (1/1)" in text  # training: the agent's one required course held
    october = await head.get(staff.url(f"/duties/scorecards/{staff.users['agent'].id}?period=2026-10"))
    assert "0.0% (0/1)" in october.text and "33.3%" not in october.text
    whole = await head.get(staff.url("/duties/scorecards/?period=2026Q4"))
    assert whole.status_code == 200 and "0.0% (0/1)" not in whole.text and "33.3% (2/6)" not in whole.text
    # The quarter: duties 1 of 3 on time; complaints 1 of 3 (October's late one too).
    assert whole.text.count("33.3% (1/3)") == 2


async def test_a_manager_sees_their_department_a_person_their_own(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 20))
    staff = await make_staff("insurance", ROLES)
    ids = {who: u.id for who, u in staff.users.items()}
    head, agent, admin = await staff.client("head"), await staff.client("agent"), await staff.client("admin")
    listed = (await head.get(staff.url("/duties/scorecards/"))).text
    assert f'id="person-{ids["agent"]}"' in listed and f'id="person-{ids["sales"]}"' not in listed
    assert (await head.get(staff.url(f"/duties/scorecards/{ids['sales']}"))).status_code == 404
    mine = (await agent.get(staff.url("/duties/scorecards/"))).text
    assert f'id="person-{ids["agent"]}"' in mine and f'id="person-{ids["head"]}"' not in mine
    assert (await agent.get(staff.url(f"/duties/scorecards/{ids['head']}"))).status_code == 404
    assert (await agent.get(staff.url(f"/duties/scorecards/{ids['agent']}"))).status_code == 200
    everyone = (await admin.get(staff.url("/duties/scorecards/"))).text
    assert all(f'id="person-{i}"' in everyone for i in ids.values())


async def test_notes_refuse_bad_input_then_record_escaped_with_the_cited_record(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 20))
    staff = await make_staff("insurance", ROLES, locale="zh_CN")
    late = await _seed(staff)
    head, agent = await staff.client("head"), await staff.client("agent")
    url = staff.url(f"/duties/scorecards/{staff.users['agent'].id}/notes")
    good = {"kind": "criticism", "noted_on": "2026-11-19", "reason": XSS, "cites_kind": "complaint",
            "cites_id": str(late.id)}
    for bad in ({**good, "kind": "praise"}, {**good, "reason": ""}, {**good, "reason": "x" * 2001},
                {**good, "noted_on": "2026-11-21"}, {**good, "noted_on": "19/11/2026"},
                {**good, "cites_kind": "invoice"}, {**good, "cites_id": ""}, {**good, "cites_kind": ""},
                {**good, "cites_id": "99999999"}, {**good, "cites_id": "abc"}):
        page = await head.post(url, bad)
        assert page.status_code == 422 and 'aria-invalid="true"' in page.text, bad
    assert await _notes(staff.tenant) == []
    assert (await agent.post(url, good)).status_code == 403
    assert (await head.post(staff.url(f"/duties/scorecards/{staff.users['sales'].id}/notes"), good)).status_code == 404
    assert await _notes(staff.tenant) == []
    made = await head.post(url, good)
    assert made.status_code == 303
    page = await head.get(made.headers["location"])
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert late.number in page.text and "保单退保纠纷" in page.text
    [note] = await _notes(staff.tenant)
    assert (note["kind"], note["cites_kind"], note["cites_id"]) == ("criticism", "complaint", late.id)
    listed = await head.get(staff.url("/duties/scorecards/?period=2026-11"))
    row = listed.text.split(f'id="person-{staff.users["agent"].id}"')[1].split("</tr>")[0]
    assert row.rstrip().endswith("<td>0</td><td>1</td>")


async def test_scorecards_download_as_xlsx(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 20))
    staff = await make_staff("insurance", ROLES, locale="zh_CN")
    await _seed(staff)
    sheet = await (await staff.client("head")).get(staff.url("/duties/scorecards/scorecards.xlsx?period=2026-11"))
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    header = next(r for r in rows if r and "投诉按时办结率" in r)
    agent = next(r for r in rows if r and r[0] == staff.users["agent"].name)
    assert agent[header.index("投诉按时办结率")] == 50.0 and agent[header.index("岗位职责按时完成率")] == 33.3


async def test_a_module_contributes_a_row_through_the_registry(make_staff, frozen_clock):
    """What a later module (callbacks) does: register a function; its figure shows on the card."""
    from kefu.duties import registry
    from kefu.duties.registry import Figure, scorecard_metric

    asked = []

    @scorecard_metric("callbacks.test_reach", "回访接通率（测试）", "Callback reach (test)", unit="percent", order=40)
    async def reach(tenant_id, user_ids, start, end):
        asked.append((tenant_id, list(user_ids), start, end))
        return {uid: Figure.rate(7, 8) for uid in user_ids}

    try:
        frozen_clock.travel(date(2026, 11, 20))
        staff = await make_staff("insurance", ROLES, locale="zh_CN")
        agent = staff.users["agent"].id
        page = await (await staff.client("agent")).get(staff.url(f"/duties/scorecards/{agent}?period=2026Q4"))
        assert "回访接通率（测试）" in page.text and "87.5% (7/8)" in page.text
        assert asked == [(staff.tenant.id, [agent], date(2026, 10, 1), date(2026, 12, 31))]
    finally:
        registry._METRICS.pop("callbacks.test_reach", None)
    try:
        scorecard_metric("complaints.on_time", "x", "x")(reach)
    except ValueError as exc:
        assert "registered twice" in str(exc)
    else:
        raise AssertionError("a second function under a known code must be refused")
