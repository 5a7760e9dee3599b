"""The surveys dashboard, the new-round form, the round page with its actions and export, the
schedule form and the half-year warning (dashboard and home page)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.surveys.schemas import audience_list
from kefu.surveys.tables import SurveyInvitation, SurveyRound, SurveySchedule
from kefu.tenancy.tables import Tenant
from tests.jobs import finish, job_id, run_jobs
from tests.surveys import factories as survey_factories
from tests.surveys.rounds.factories import customer


def _ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-id="(\d+)" data-status', html)]


async def _form(centre, **over):
    template = await survey_factories.template(centre.tenant, name="半年满意度调查")
    today = clock.today_in("Asia/Shanghai")
    data = {"template_id": str(template.id), "title": "2026年第四季度专项调查", "audience": "all",
            "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=10)).isoformat(),
            "reminder_after_days": "3", "open_link": "on"}
    data.update(over)
    return data


async def test_create_a_round_that_opens_today(centre_pages):
    await customer(centre_pages.tenant, "业主甲", building="1栋")
    await customer(centre_pages.tenant, "业主乙", building="2栋")
    me = await centre_pages.client("supervisor")
    page = await me.get(centre_pages.url("/rounds/new"))
    assert page.status_code == 200 and "1栋" in page.text
    response = await me.post(centre_pages.url("/rounds"), data=await _form(centre_pages, audience="buildings",
                                                                           buildings="2栋"))
    assert response.status_code == 303, response.text
    detail = await me.get(response.headers["location"])
    assert detail.status_code == 200
    assert "业主乙" in detail.text and "业主甲" not in detail.text
    assert 'id="count-invited">1<' in detail.text
    assert 'id="poster-pdf"' in detail.text
    dashboard = await me.get(centre_pages.url())
    assert "2026年第四季度专项调查" in dashboard.text


async def test_bad_form_answers_422_naming_the_field(centre_pages):
    me = await centre_pages.client("supervisor")
    for over, field in (({"title": ""}, "title"), ({"closes_on": "2020-01-01"}, "closes_on"),
                        ({"opens_on": "not-a-date"}, "opens_on"), ({"template_id": "x"}, "template_id"),
                        ({"audience": "segment"}, "segment"), ({"reminder_after_days": "-3"}, "reminder_after_days")):
        response = await me.post(centre_pages.url("/rounds"), data=await _form(centre_pages, **over))
        assert response.status_code == 422, (over, response.status_code)
        assert f'id="{field}-error"' in response.text, over
    async with transaction(centre_pages.tenant.id, write=False):
        assert await scoped(SurveyRound, centre_pages.tenant.id) == []


async def test_uploaded_list_with_errors_creates_nothing(centre_pages):
    me = await centre_pages.client("supervisor")
    data = await _form(centre_pages, audience="list")
    files = {"list_file": ("名单.csv", "姓名,手机\n王五,12\n赵六,13900139000\n".encode(), "text/csv")}
    started = await me.post(centre_pages.url("/rounds"), data=data, files=files)
    page = await finish(me, started, centre_pages.tenant.id)  # the file is read by a job
    assert page.status_code == 200 and 'id="job-error"' in page.text
    details = re.search(r'<ul id="job-error-details">(.*?)</ul>', page.text, re.S)
    assert details and details[1].count("<li>") == 1 and "2" in details[1]  # row 2's phone
    assert f'href="{centre_pages.url("/rounds/new")}"' in page.text  # back to the form
    async with transaction(centre_pages.tenant.id, write=False):
        assert await scoped(SurveyRound, centre_pages.tenant.id) == []
    files = {"list_file": ("名单.csv", "姓名,手机\n王五,13700137000\n赵六,13900139000\n".encode(), "text/csv")}
    started = await me.post(centre_pages.url("/rounds"), data={**data, "list_consent": "on"}, files=files)
    assert started.status_code == 303 and "/jobs/" in started.headers["location"]
    await run_jobs(centre_pages.tenant.id, job_id(started))
    response = await me.get(started.headers["location"])
    assert response.status_code == 303
    round_id = int(response.headers["location"].rsplit("/", 1)[1])
    async with transaction(centre_pages.tenant.id, write=False):
        invites = await scoped(SurveyInvitation, centre_pages.tenant.id).where(SurveyInvitation.round == round_id)
    assert sorted((i["name"], i["channel"]) for i in invites) == [("王五", "sms"), ("赵六", "sms")]


async def test_a_list_that_is_not_a_table_is_refused_at_once_or_by_its_job(centre_pages, monkeypatch):
    me = await centre_pages.client("supervisor")
    data = await _form(centre_pages, audience="list")
    response = await me.post(centre_pages.url("/rounds"), data=data,
                             files={"list_file": ("名单.pdf", b"%PDF-1.7", "application/pdf")})
    assert response.status_code == 422 and 'id="list_file-error"' in response.text  # its type: at once
    response = await me.post(centre_pages.url("/rounds"), data={**data, "title": ""},
                             files={"list_file": ("名单.csv", "姓名,手机\n王五,13700137000\n".encode(), "text/csv")})
    assert response.status_code == 422 and 'id="title-error"' in response.text  # the form first: no job
    monkeypatch.setattr(audience_list, "MAX_ROWS", 5)  # the job's reader stops at the limit
    rows = "\n".join(f"人{n},1370013{n:04d}" for n in range(6))
    started = await me.post(centre_pages.url("/rounds"), data=data,
                            files={"list_file": ("名单.csv", f"姓名,手机\n{rows}\n".encode(), "text/csv")})
    page = await finish(me, started, centre_pages.tenant.id)
    assert 'id="job-error"' in page.text and "5" in page.text.split('id="job-error"')[1].split("</p>")[0]
    async with transaction(centre_pages.tenant.id, write=False):
        assert await scoped(SurveyRound, centre_pages.tenant.id) == []


async def test_front_desk_may_not_create_rounds(centre_pages):
    desk = await centre_pages.client("desk")
    assert (await desk.get(centre_pages.url("/rounds/new"))).status_code == 403
    assert (await desk.post(centre_pages.url("/rounds"), data={})).status_code == 403


async def test_round_page_searches_and_exports(centre_pages):
    t = centre_pages.tenant
    row = await survey_factories.survey_round(t, title="搜索测试")
    for n in range(60):
        await survey_factories.invitation(t, row, name=f"业主{n:02d}", building=f"{n % 3 + 1}栋")
    me = await centre_pages.client("supervisor")
    url = centre_pages.url(f"/rounds/{row.id}")
    page = await me.get(url)
    assert "业主00" in page.text and "业主59" not in page.text  # 50 per page
    counts = await me.get(url, headers={"hx-request": "true", "hx-target": "round-counts"})
    assert 'id="count-invited">60<' in counts.text and "业主00" not in counts.text
    found = await me.get(url + "?q=业主59", headers={"hx-request": "true"})
    assert "业主59" in found.text and "业主00" not in found.text and "<html" not in found.text
    export = await me.get(url + "/invitations.xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 61 and rows[1][-1].startswith("http") and f"/p/{t.slug}/s/" in rows[1][-1]


async def test_a_large_invitation_list_is_written_by_a_job(centre_pages, monkeypatch):
    from tests.jobs import large_export

    # Given a round with more invitations than a request writes itself (the limit lowered to 0),
    t = centre_pages.tenant
    row = await survey_factories.survey_round(t, title="大名单")
    for n in range(3):
        await survey_factories.invitation(t, row, name=f"住户{n}")
    me = await centre_pages.client("supervisor")
    # when the list is asked for, a job writes it with each personal link.
    _, got = await large_export(me, centre_pages.url(f"/rounds/{row.id}/invitations.xlsx"), t.id, monkeypatch)
    rows = list(load_workbook(io.BytesIO(got.content)).worksheets[0].iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["住户0", "住户1", "住户2"]
    assert all(f"/p/{t.slug}/s/" in r[-1] for r in rows[1:])


async def test_open_and_close_buttons(centre_pages):
    t = centre_pages.tenant
    await customer(t, "业主甲")
    row = await survey_factories.survey_round(t, title="按钮测试", status="scheduled", opens_in_days=3)
    async with transaction(t.id):
        await SurveyRound.update({SurveyRound.audience: '{"kind": "all"}'}).where(
            SurveyRound.tenant == t.id, SurveyRound.id == row.id)
    me = await centre_pages.client("supervisor")
    url = centre_pages.url(f"/rounds/{row.id}")
    assert (await me.post(url + "/open")).status_code == 303
    assert (await me.post(url + "/open")).status_code == 303  # twice: once
    page = await me.get(url)
    assert 'data-status="open"' in page.text and 'id="count-invited">1<' in page.text
    assert (await me.post(url + "/close")).status_code == 303
    assert 'data-status="closed"' in (await me.get(url)).text


async def test_poster_without_open_link_explains_and_offers_one(centre_pages):
    row = await survey_factories.survey_round(centre_pages.tenant, title="无链接")
    me = await centre_pages.client("supervisor")
    url = centre_pages.url(f"/rounds/{row.id}")
    response = await me.get(url + "/poster.pdf")
    assert response.status_code == 409 and 'id="no-open-link"' in response.text
    assert (await me.post(url + "/open-link")).status_code == 303
    assert 'id="open-url"' in (await me.get(url)).text


async def test_schedule_form_saves_and_refuses_bad_dates(centre_pages):
    template = await survey_factories.template(centre_pages.tenant)
    me = await centre_pages.client("supervisor")
    assert (await me.get(centre_pages.url("/schedule"))).status_code == 200
    data = {"template_id": str(template.id), "enabled": "on", "first_half_opens": "07-01",
            "second_half_opens": "11-01", "duration_days": "14", "reminder_after_days": "7", "audience": "all"}
    bad = await me.post(centre_pages.url("/schedule"), data=data)
    assert bad.status_code == 422 and 'id="first_half_opens-error"' in bad.text
    good = await me.post(centre_pages.url("/schedule"), data={**data, "first_half_opens": "05-01"})
    assert good.status_code == 303
    again = await me.post(centre_pages.url("/schedule"), data={**data, "first_half_opens": "06-01"})
    assert again.status_code == 303
    async with transaction(centre_pages.tenant.id, write=False):
        rows = await scoped(SurveySchedule, centre_pages.tenant.id)
    assert [r["first_half_opens"] for r in rows] == ["06-01"]


async def test_half_year_warning_on_dashboard_and_home(centre_pages):
    # Given a centre that existed all of H1 2026 and ran no closed round then, on 2 July:
    t = centre_pages.tenant
    async with transaction(t.id):
        await Tenant.update({Tenant.created_at: datetime(2026, 1, 1, tzinfo=UTC)}).where(Tenant.id == t.id)
    me = await centre_pages.client("supervisor")
    on = datetime.combine(date(2026, 7, 2), time(10), ZoneInfo("Asia/Shanghai"))
    with clock.frozen(on):
        dashboard = await me.get(centre_pages.url())
        home = await me.get(f"/t/{t.slug}")
        status = await me.get(centre_pages.url("/half-year"), headers={"hx-request": "true"})
    assert 'id="half-year-warning"' in dashboard.text and "2026" in dashboard.text
    # The home page loads the same status for members who may see surveys.
    assert 'id="home-half-year"' in home.text and centre_pages.url("/half-year") in home.text
    assert 'id="half-year-warning"' in status.text and "<html" not in status.text
    # A closed H1 round with a valid response ends the warning.
    with clock.frozen(on - timedelta(days=40)):
        row = await survey_factories.survey_round(t, title="上半年调查", opens_in_days=-10, closes_in_days=5)
    async with transaction(t.id):
        await SurveyRound.update({SurveyRound.status: "closed"}).where(SurveyRound.tenant == t.id, SurveyRound.id == row.id)
    with clock.frozen(on):
        dashboard = await me.get(centre_pages.url())
    assert 'id="half-year-warning"' in dashboard.text  # closed, but without a valid response
    with clock.frozen(on - timedelta(days=38)):
        await survey_factories.response(t, row)
    with clock.frozen(on):
        dashboard = await me.get(centre_pages.url())
    assert 'id="half-year-warning"' not in dashboard.text
    desk = await centre_pages.client("desk")
    with clock.frozen(on):
        assert 'id="home-half-year"' not in (await desk.get(f"/t/{t.slug}")).text
