"""The worklist: sorted by the nearest open deadline, red when overdue, amber when due soon,
filtered, 50 a page, exported to Excel."""

from __future__ import annotations

import re
from datetime import date

from kefu.complaints import services
from kefu.complaints.queries import worklist as staff_worklist
from tests import factories
from tests.complaints.ui.conftest import TODAY
from tests.complaints.ui.support import due_of, register, worklist_ids, xlsx_rows


async def test_sorted_by_nearest_deadline_overdue_first_in_red(office):
    agent = await office.ctx("agent")
    # Given: one received four weeks ago (its art. 12 notice was due 2026-02-09), one today,
    # one today with complete materials (acceptance notice due 2026-03-16), one withdrawn.
    late = await register(agent, received_on="2026-02-02")
    fresh = await register(agent)
    complete = await register(agent, materials_complete=True)
    gone = await register(agent)
    await services.withdraw_complaint(agent, gone.id)

    page = await (await office.client("agent")).get(office.url("/"))

    assert page.status_code == 200
    assert worklist_ids(page.text) == [late.id, fresh.id, complete.id]
    assert due_of(page.text, late.id) == "overdue"
    row = page.text.split(f'<tr data-id="{late.id}"')[1].split("</tr>")[0]
    assert 'class="kefu-due kefu-due-overdue"' in row and "Overdue" in row
    assert due_of(page.text, fresh.id) == "ok"
    assert "kefu-due-" not in page.text.split(f'<tr data-id="{fresh.id}"')[1].split("</tr>")[0]
    # Everything, open or not: the ones without a deadline come last.
    everything = await (await office.client("agent")).get(office.url("/?status=all"))
    assert worklist_ids(everything.text) == [late.id, fresh.id, complete.id, gone.id]


async def test_due_soon_and_due_today_are_amber_then_red(office, travel):
    c = await register(await office.ctx("agent"))
    assert c.next_due == date(2026, 3, 9)  # A art. 12: 5 working days after Mon 2 March
    agent = await office.client("agent")
    for day, state, wanted in (
        (date(2026, 3, 6), "ok", None),
        (date(2026, 3, 7), "due_soon", "soon"),
        (date(2026, 3, 9), "due_today", "today"),
        (date(2026, 3, 10), "overdue", "overdue"),
    ):
        travel(day)
        page = await agent.get(office.url("/"))
        assert due_of(page.text, c.id) == state, day
        if wanted:
            assert f'kefu-due-{state}" data-due="{state}"' in page.text
            for due_filter in ("soon", "today", "overdue"):
                listed = worklist_ids((await agent.get(office.url(f"/?due={due_filter}"))).text)
                assert listed == ([c.id] if due_filter == wanted else []), (day, due_filter)


async def test_filters_status_channel_mine_unassigned_and_search(office):
    agent, head = await office.ctx("agent"), await office.ctx("head")
    x = await register(agent)
    y = await register(agent, channel="letter", complainant_name="李四",
                       complainant_phone="139-0000-0000", complainant_email="",
                       customer_ref="3-2-1501", materials_complete=True)
    z = await register(head, channel="email", complainant_name="王五",
                       complainant_phone="", complainant_email="wang@example.test")
    as_agent, as_head = await office.client("agent"), await office.client("head")

    async def ids(client, query: str) -> list[int]:
        page = await client.get(office.url(f"/?{query}"))
        assert page.status_code == 200, page.text
        return sorted(worklist_ids(page.text))

    assert await ids(as_agent, "status=under_review") == [y.id]
    assert await ids(as_agent, "status=registered") == [x.id, z.id]
    assert await ids(as_agent, "channel=letter") == [y.id]
    assert await ids(as_agent, "handler=mine") == [x.id, y.id]
    assert await ids(as_head, "handler=mine") == [z.id]
    assert await ids(as_agent, "handler=unassigned") == [x.id, y.id, z.id]
    assert await ids(as_agent, f"q={y.number.lower()}") == [y.id]
    assert await ids(as_agent, "q=1") == [x.id]  # this year's TS2026-000001
    assert await ids(as_agent, "q=139 0000 0000") == [y.id]
    assert await ids(as_agent, "q=%2B8613900000000") == [y.id]
    assert await ids(as_agent, "q=李") == [y.id]
    assert await ids(as_agent, "q=3-2-1501") == [y.id]
    assert await ids(as_agent, "q=nobody") == []
    # Unknown filter values fall back to the default view instead of failing.
    assert await ids(as_agent, "status=bogus&channel=pigeon&due=yesterday") == [x.id, y.id, z.id]


async def test_htmx_filter_answers_with_the_results_fragment(office):
    await register(await office.ctx("agent"))
    page = await (await office.client("agent")).get(
        office.url("/?channel=hotline"), headers={"hx-request": "true"}
    )
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<section id="results">')
    assert "<html" not in page.text
    assert "channel=hotline" in page.text.split('id="export-link"')[0]


async def test_fifty_a_page_with_next_and_previous(office):
    agent = await office.ctx("agent")
    made = [await register(agent, received_on=f"2026-02-{d:02d}") for d in range(1, 29)]
    made += [await register(agent) for _ in range(23)]  # 51 in all
    client = await office.client("agent")

    first = await client.get(office.url("/"))
    second = await client.get(office.url("/?page=2"))

    assert len(worklist_ids(first.text)) == 50
    assert len(worklist_ids(second.text)) == 1
    assert set(worklist_ids(first.text) + worklist_ids(second.text)) == {c.id for c in made}
    assert "51 complaints" in first.text
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    dues = re.findall(r'<tr data-id="\d+" data-due="(\w+)"', first.text)
    assert dues[0] == "overdue"


async def test_the_count_is_capped_instead_of_counting_the_whole_tenant(office, monkeypatch):
    agent = await office.ctx("agent")
    for _ in range(4):
        await register(agent)
    monkeypatch.setattr(staff_worklist, "COUNT_CAP", 2)
    monkeypatch.setattr(staff_worklist, "PAGE_SIZE", 3)
    page = await (await office.client("agent")).get(office.url("/"))
    assert "More than" in page.text.split('id="worklist-count"')[1].split("</span>")[0]


async def test_empty_states(office):
    client = await office.client("agent")
    empty = await client.get(office.url("/"))
    assert worklist_ids(empty.text) == []
    assert "No open complaints." in empty.text
    await register(await office.ctx("agent"))
    none = await client.get(office.url("/?q=nobody-like-this"))
    assert "No complaints match these filters." in none.text


async def test_export_is_a_real_workbook_of_the_filtered_list(office):
    agent = await office.ctx("agent")
    hot = await register(agent, complainant_name="=HYPERLINK(\"http://evil\")")
    letter = await register(agent, channel="letter", subject="信件投诉")
    client = await office.client("agent")

    response = await client.get(office.url("/export.xlsx?channel=letter"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response.headers["content-disposition"]
    rows = xlsx_rows(response.content)
    assert rows[0][:3] == ["Number", "Status", "Channel"]
    assert [r[0] for r in rows[1:]] == [letter.number]
    assert rows[1][7] == "信件投诉" and rows[1][3].date() == TODAY

    everything = xlsx_rows((await client.get(office.url("/export.xlsx"))).content)
    assert sorted(r[0] for r in everything[1:]) == sorted([hot.number, letter.number])
    names = {r[4] for r in everything[1:]}
    assert '=HYPERLINK("http://evil")' in names  # kept as text, never a formula


async def test_export_in_chinese_for_a_chinese_reader(office):
    await register(await office.ctx("agent"))
    reader = await factories.member(office.tenant, ["qa"], locale="zh_CN")
    from tests.fixtures import Client

    client = Client(office.app)
    await client.signin(reader.email)
    rows = xlsx_rows((await client.get(office.url("/export.xlsx"))).content)
    await client.aclose()
    assert rows[1][1] == "已登记"  # Registered


async def test_members_without_complaints_view_are_refused(office):
    sales = await factories.member(office.tenant, ["sales"])
    from tests.fixtures import Client

    client = Client(office.app)
    await client.signin(sales.email)
    for path in ("/", "/export.xlsx", "/lookup?phone=13800138000", "/new"):
        assert (await client.get(office.url(path))).status_code == 403, path
    await client.aclose()


async def test_a_deadline_in_a_year_not_yet_loaded_is_marked_provisional(office, travel):
    # Given 2027's official holiday schedule is not loaded, a complaint received at the end of
    # 2026 has its deadlines in 2027 computed on what is known, and marked as provisional.
    travel(date(2026, 12, 28))
    c = await register(await office.ctx("agent"), received_on="2026-12-28")
    assert c.deadlines_provisional and c.next_due.year == 2027
    client = await office.client("agent")
    row = (await client.get(office.url("/"))).text.split(f'<tr data-id="{c.id}"')[1].split("</tr>")[0]
    assert 'class="kefu-provisional"' in row
    page = await client.get(office.url(f"/{c.id}"))
    deadlines = page.text.split('id="deadlines"')[1].split("</section>")[0]
    assert 'class="kefu-provisional"' in deadlines


async def test_search_finds_a_phone_by_its_last_digits_and_a_unit_however_written(office):
    agent = await office.ctx("agent")
    flat = await register(agent, complainant_name="赵六", complainant_phone="13912345678",
                          customer_ref="3栋2单元1501")
    other = await register(agent, complainant_name="钱七", complainant_phone="13800005678",
                           customer_ref="3-2-1502")
    client = await office.client("agent")

    async def ids(q: str) -> list[int]:
        page = await client.get(office.url("/"), params={"q": q})
        assert page.status_code == 200, page.text
        return sorted(worklist_ids(page.text))

    assert await ids("5678") == [flat.id, other.id]  # the last four digits
    assert await ids("45678") == [flat.id]
    assert await ids("2345678") == [flat.id]
    assert await ids("3-2-1501") == [flat.id]  # written one way, found as the other
    assert await ids("3号楼2单元1501室") == [flat.id]
    assert await ids("3栋2单元1502") == [other.id]
    assert await ids("3-2-1503") == []


async def test_the_worklist_marks_deadlines_a_schedule_change_moved(office):
    from kefu.db import transaction
    from kefu.holidays import services as holidays
    from kefu.holidays.tables import HolidayOverride

    moved = await register(await office.ctx("agent"), materials_complete=True)  # acceptance due 03-16
    later = await register(await office.ctx("agent"), received_on="2026-02-26")  # materials due 03-05
    day = date(2026, 3, 10)
    try:
        await holidays.set_day(day, False, "临时调整")
        page = await (await office.client("agent")).get(office.url("/"))
        rows = {int(i): row for i, row in re.findall(r'<tr data-id="(\d+)"(.*?)</tr>', page.text, re.S)}
        assert 'class="kefu-moved"' in rows[moved.id] and 'data-moved="2026-03-02"' in rows[moved.id]
        assert 'class="kefu-moved"' not in rows[later.id]  # its deadline lies before the change
    finally:
        async with transaction():
            await HolidayOverride.delete().where(HolidayOverride.day == day)
        await services.recompute_deadlines(2026, holidays.Loaded(0, False, [], [day], False))


async def test_a_large_export_is_written_by_a_job_for_its_member_only(office, monkeypatch):
    from tests.jobs import large_export

    # Given a filtered worklist over the size a request writes itself (the limit lowered to 0)
    agent = await office.ctx("agent")
    await register(agent, subject="电话投诉")
    letter = await register(agent, channel="letter", subject="信件投诉")
    client = await office.client("agent")
    # When the export is asked for, its button starts a job, and the job's page offers the file
    job_page, got = await large_export(client, office.url("/export.xlsx"), office.tenant.id, monkeypatch,
                                       params={"channel": "letter"})
    rows = xlsx_rows(got.content)
    assert rows[0][:3] == ["Number", "Status", "Channel"]
    assert [r[0] for r in rows[1:]] == [letter.number]  # the filter travelled with the job
    # Another member of the tenant, even one who may export, sees neither the job nor its file.
    other = await factories.member(office.tenant, ["qa"])
    from tests.fixtures import Client

    stranger = Client(office.app)
    await stranger.signin(other.email)
    assert (await stranger.get(job_page)).status_code == 404
    assert (await stranger.get(f"{job_page}/file")).status_code == 404
    await stranger.aclose()
