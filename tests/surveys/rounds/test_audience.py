"""Whom each kind of audience invites, and by which channel; uploaded lists and their errors."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from kefu.core.errors import FieldError
from kefu.core.phones import key as normalize_phone
from kefu.db import transaction
from kefu.surveys.policy.audience import Audience, channel_for
from kefu.surveys.queries.audience import select_invitees
from kefu.surveys.schemas.audience_list import ListError, match_customers, parse_list
from tests import factories
from tests.surveys.rounds.factories import customer


@pytest.mark.parametrize(("consent", "preferred", "phone", "email", "channel"), [
    (True, "sms", "13800138000", "", "sms"),
    (True, "email", "13800138000", "a@b.cn", "email"),
    (True, "email", "13800138000", "", "sms"),  # the preferred one cannot reach them: the other
    (True, "sms", "", "", "none"),
    (True, "letter", "13800138000", "", "letter"),
    (True, "none", "13800138000", "a@b.cn", "none"),
    (False, "sms", "13800138000", "a@b.cn", "none"),
])
def test_channel_for(consent, preferred, phone, email, channel):
    assert channel_for(consent=consent, preferred=preferred, phone=phone, email=email) == channel


@pytest.mark.parametrize(("raw", "digits"), [
    ("138 0013 8000", "13800138000"), ("+86 138-0013-8000", "13800138000"), ("0086 13800138000", "13800138000"),
    ("021-12345678", "02112345678"),
])
def test_normalize_phone(raw, digits):
    assert normalize_phone(raw) == digits


@pytest.fixture
async def estate():
    """A property centre: owners in 1栋 and 2栋, a resident, one inactive, one without consent."""
    t = await factories.tenant(kind="property")
    made = {
        "a": await customer(t, "业主甲", building="1栋", tags=("VIP",)),
        "b": await customer(t, "业主乙", building="2栋", email="yi@example.cn", channel="email"),
        "c": await customer(t, "住户丙", kind="resident", building="1栋", tags=("VIP", "老年")),
        "gone": await customer(t, "已迁出", building="1栋", active=False),
        "quiet": await customer(t, "不接受联系", building="2栋", consent=False),
    }
    return t, made


async def _names(t, audience):
    async with transaction(t.id, write=False):
        return sorted(i.name for i in await select_invitees(t.id, audience))


async def test_all_invites_every_active_customer(estate):
    t, _ = estate
    assert await _names(t, Audience(kind="all")) == sorted(["业主甲", "业主乙", "住户丙", "不接受联系"])
    assert await _names(t, Audience(kind="all", customer_kinds=("resident",))) == ["住户丙"]


async def test_buildings_and_segment(estate):
    t, _ = estate
    assert await _names(t, Audience(kind="buildings", buildings=("1栋",))) == sorted(["业主甲", "住户丙"])
    assert await _names(t, Audience(kind="segment", segment="VIP")) == sorted(["业主甲", "住户丙"])
    assert await _names(t, Audience(kind="segment", segment="老年", customer_kinds=("owner",))) == []


async def test_invitees_carry_channel_and_snapshots(estate):
    t, made = estate
    async with transaction(t.id, write=False):
        found = {i.name: i for i in await select_invitees(t.id, Audience(kind="all"))}
    assert found["业主甲"].channel == "sms" and found["业主乙"].channel == "email"
    assert found["不接受联系"].channel == "none"  # invited, but no message without consent
    assert found["住户丙"].segment == "VIP,老年" and found["住户丙"].building == "1栋"
    assert found["业主甲"].customer_id == made["a"].id


async def test_another_tenants_customers_are_never_selected(estate):
    t, _ = estate
    other = await factories.tenant(kind="property")
    await customer(other, "别家业主", building="1栋", tags=("VIP",))
    assert "别家业主" not in await _names(t, Audience(kind="all"))
    assert "别家业主" not in await _names(t, Audience(kind="segment", segment="VIP"))


@pytest.mark.parametrize("audience", [
    Audience(kind="buildings"), Audience(kind="segment"), Audience(kind="list"), Audience(kind="everyone"),
])
async def test_incomplete_audience_is_refused(estate, audience):
    t, _ = estate
    with pytest.raises(FieldError):
        await _names(t, audience)


def _xlsx(rows):
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_list_parses_xlsx_with_chinese_headers():
    content = _xlsx([["姓名", "手机", "邮箱", "楼栋"], ["王五", 13900139000, None, "3栋"], ["赵六", "", "z@example.cn", ""]])
    rows, errors = parse_list("名单.xlsx", content)
    assert errors == []
    assert [(r.name, r.phone, r.email, r.building) for r in rows] == [
        ("王五", "13900139000", "", "3栋"), ("赵六", "", "z@example.cn", "")]


def test_list_errors_name_row_and_field():
    content = "name,phone,email\n王五,123,\n,13900139000,\n赵六,,not-an-email\n钱七,,\n".encode()
    rows, errors = parse_list("list.csv", content)
    assert len(rows) == 4
    assert [(e.row, e.field) for e in errors] == [(2, "phone"), (3, "name"), (4, "email"), (5, "phone")]
    assert "2" in str(errors[0])


@pytest.mark.parametrize(("filename", "content"), [
    ("list.txt", b"name,phone\n"), ("list.csv", b"foo,bar\n1,2\n"), ("list.csv", b""),
    ("list.xlsx", b"not a workbook"), ("list.csv", b"name,phone\n"),
])
def test_unreadable_lists_are_refused_whole(filename, content):
    with pytest.raises(ListError):
        parse_list(filename, content)


def test_gb18030_csv_is_read():
    rows, errors = parse_list("list.csv", "姓名,电话\n王五,13900139000\n".encode("gb18030"))
    assert not errors and rows[0].name == "王五"


async def test_list_rows_match_customers_by_phone(estate):
    t, made = estate
    rows, _ = parse_list("l.csv", "name,phone\n甲,+86 138 0013 8000\n新人,13700137000\n".encode())
    async with transaction(t.id, write=False):
        matched = await match_customers(t.id, rows)
        assert matched[0].customer_id is not None and matched[1].customer_id is None
        invitees = await select_invitees(t.id, Audience(kind="list", rows=tuple(matched)))
        # The unmatched person gets a message only if the uploader confirmed their consent.
        assert [i.channel for i in invitees] == ["sms", "none"]
        confirmed = await select_invitees(t.id, Audience(kind="list", rows=tuple(matched), list_consent=True))
        assert [i.channel for i in confirmed] == ["sms", "sms"]
