"""C.i: a month's statistics filed (提交本月统计) with the figures frozen as they were, once a
month; bad input a 4xx naming the field that writes nothing, only for members who see the
statistics, each tenant's own; the page's button files it and the page then says so."""

from __future__ import annotations

import json
from datetime import date

import pytest
from litestar.exceptions import PermissionDeniedException

from kefu.audit.tables import AuditEvent
from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.deskstats import queries
from kefu.deskstats.services import file_month, take_snapshot
from kefu.deskstats.tables import MonthFiling
from tests.fixtures import staff_of
from tests.units import factories as unit_factories

ROLES = {"manager": "manager", "sup": "relations_supervisor", "desk": "front_desk"}
DEC = date(2026, 12, 1)
XSS = '<img src=x onerror="alert(1)">'


async def _rows(tenant) -> list[dict]:
    async with transaction(tenant.id, write=False):
        return await scoped(MonthFiling, tenant.id).order_by(MonthFiling.id)


def _figures(row: dict) -> dict:
    return json.loads(row["figures"]) if isinstance(row["figures"], str) else row["figures"]


async def _centre(app=None, **kw):
    staff = await staff_of("property", ROLES, app=app, fresh=True, **kw)
    await unit_factories.unit(staff.tenant, "1栋", "101", occupancy="owner_occupied")
    await unit_factories.unit(staff.tenant, "1栋", "102", occupancy="vacant")
    return staff


async def test_filing_freezes_the_months_figures_and_a_month_is_filed_once(frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    staff = await _centre()
    ctx = await staff.ctx("manager")
    filing_id = await file_month(ctx, date(2026, 12, 17), "报孙经理")
    [row] = await _rows(staff.tenant)
    figures = _figures(row)
    assert (row["id"], row["period"], row["note"], row["filed_by_id"]) == (filing_id, DEC, "报孙经理",
                                                                            staff.users["manager"].id)
    total = figures["rows"][-1]
    assert (figures["month"], total["building"], total["units"], total["occupied"], total["vacant"]) == \
        ("2026-12", None, 2, 1, 1)
    assert figures["revenue_total"] == "0" and figures["fees_shown"] is True
    # A unit added later changes the live page, not the filing.
    await unit_factories.unit(staff.tenant, "1栋", "103", occupancy="vacant")
    [row] = await _rows(staff.tenant)
    assert _figures(row)["rows"][-1]["units"] == 2
    with pytest.raises(Refused) as again:
        await file_month(ctx, DEC)
    assert again.value.code == "already_filed" and staff.users["manager"].name in again.value.translated()
    assert len(await _rows(staff.tenant)) == 1
    async with transaction(staff.tenant.id, write=False):
        events = await scoped(AuditEvent, staff.tenant.id).where(AuditEvent.action == "statistics.file")
    assert [e["object_id"] for e in events] == [filing_id]


async def test_an_ended_month_needs_its_snapshot_and_a_future_month_is_refused(frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    staff = await _centre()
    ctx = await staff.ctx("sup")
    with pytest.raises(Refused) as future:
        await file_month(ctx, date(2027, 1, 1))
    with pytest.raises(Refused) as unswept:
        await file_month(ctx, date(2026, 11, 1))
    assert (future.value.code, unswept.value.code) == ("period", "snapshot")
    assert await _rows(staff.tenant) == []
    await take_snapshot(ctx, date(2026, 11, 1))
    await file_month(ctx, date(2026, 11, 1))
    [row] = await _rows(staff.tenant)
    assert (row["period"], _figures(row)["month"], _figures(row)["ended"]) == (date(2026, 11, 1), "2026-11", True)


async def test_bad_input_and_a_member_without_the_statistics_write_nothing(app, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    staff = await _centre(app)
    ctx = await staff.ctx("sup")
    with pytest.raises(FieldError) as long_note:
        await file_month(ctx, DEC, "x" * 501)
    assert long_note.value.field == "note"
    with pytest.raises(FieldError):
        await file_month(ctx, DEC, "a\x07b")
    with pytest.raises(PermissionDeniedException):
        await file_month(await staff.ctx("desk"), DEC)
    sup = await staff.client("sup")
    url = staff.url("/statistics/file")
    for bad, field in (({"period": "2026-13"}, "period"), ({"period": "garbage"}, "period"), ({}, "period"),
                       ({"period": "２０２６-１２"}, "period"), ({"period": "2026-12\x00"}, "period"),
                       ({"period": "2026-12", "note": "x" * 501}, "note"),
                       ({"period": "2026-12", "note": "a\x00b"}, "note")):
        answer = await sup.post(url, bad)
        assert 400 <= answer.status_code < 500 and answer.status_code != 404, (bad, answer.status_code)
        assert f"<strong>{field}</strong>" in answer.text, bad
    assert (await (await staff.client("desk")).post(url, {"period": "2026-12"})).status_code == 403
    assert await _rows(staff.tenant) == []


async def test_another_tenants_filing_is_not_seen(frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    ours, theirs = await _centre(), await _centre()
    filing_id = await file_month(await theirs.ctx("manager"), DEC)
    async with transaction(ours.tenant.id, write=False):
        assert await queries.filing(ours.tenant.id, DEC) is None
        assert await queries.filed_month(ours.tenant.id, filing_id) is None
    assert await _rows(ours.tenant) == []


async def test_the_page_files_the_month_and_then_says_so(app, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    staff = await _centre(app, locale="zh_CN", names={"manager": "孙经理", "sup": "陈主管", "desk": "前台"})
    sup = await staff.client("sup")
    page = await sup.get(staff.url("/statistics/?period=2026-12"))
    assert page.status_code == 200 and 'id="filing-form"' in page.text and "提交本月统计" in page.text
    form = page.text.split('id="filing-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="period" value="2026-12"' in form
    posted = await sup.post(staff.url("/statistics/file"), {"period": "2026-12", "note": XSS})
    assert posted.status_code == 303
    after = await sup.get(posted.headers["location"])
    assert after.status_code == 200 and "统计已提交" in after.text and "陈主管" in after.text
    assert 'id="filing-form"' not in after.text
    assert XSS not in after.text and "&lt;img" in after.text
    # A future month offers no button.
    assert 'id="filing-form"' not in (await sup.get(staff.url("/statistics/?period=2027-01"))).text
