"""Customer rules as tables: kinds, phones, emails, households, consent, channels, tags, and
the check of one customer's fields that the form and the import share."""

from __future__ import annotations

import pytest

from kefu.core import phones, staged_imports
from kefu.customers import policy


@pytest.mark.parametrize(("tenant_kind", "kinds"), [
    ("insurance", ("policyholder", "insured", "beneficiary", "agent")),
    ("property", ("owner", "resident")),
    ("unknown", ()),
])
def test_kinds_per_tenant_kind(tenant_kind, kinds):
    assert policy.kinds_for(tenant_kind) == kinds


@pytest.mark.parametrize(("raw", "tenant_kind", "code"), [
    ("policyholder", "insurance", "policyholder"),
    ("投保人", "insurance", "policyholder"),
    ("被保险人", "insurance", "insured"),
    ("受益人", "insurance", "beneficiary"),
    ("代理人", "insurance", "agent"),
    ("Insured person", "insurance", "insured"),
    (" 业主 ", "property", "owner"),
    ("住户", "property", "resident"),
    ("RESIDENT", "property", "resident"),
    ("业主", "insurance", None),  # not a kind of this tenant
    ("投保人", "property", None),
    ("", "property", None),
    ("客户", "insurance", None),
])
def test_parse_kind(raw, tenant_kind, code):
    assert policy.parse_kind(raw, tenant_kind) == code


@pytest.mark.parametrize(("raw", "phone"), [
    ("", ""),
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("+8613800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("008613800138000", "13800138000"),
    ("(021) 6888-1234", "02168881234"),
    ("０２１－６８８８１２３４", "02168881234"),  # full-width digits and dash
    ("+44 20 7946 0958", "+442079460958"),
    ("1380", None),  # too short
    ("call me", None),
    ("138001380001380013800", None),  # too long
    ("13800138000 ext 2", None),
])
def test_normalise_phone(raw, phone):
    assert phones.normalise(raw) == phone


@pytest.mark.parametrize(("raw", "email"), [
    ("", ""),
    (" Zhang@Example.COM ", "zhang@example.com"),
    ("li.si+vip@mail.example.cn", "li.si+vip@mail.example.cn"),
    ("zhang@example", None),
    ("zhang example@x.cn", None),
    ("a@b@c.cn", None),
    ("<script>@x.cn", None),
])
def test_normalise_email(raw, email):
    assert policy.normalise_email(raw) == email


@pytest.mark.parametrize(("kind", "building", "unit", "customer_id", "key"), [
    ("owner", "3栋", "1501", 7, "3|1501"),
    ("resident", "3 幢", "1501室", 8, "3|1501"),  # the same flat, typed differently
    ("owner", "３号楼", "2-1501", 9, "3|21501"),
    ("owner", "紫荆苑", "101", 10, "紫荆苑|101"),
    ("owner", "3栋", "", 11, "c:11"),  # no flat: their own household
    ("owner", "", "1501", 12, "c:12"),
    ("policyholder", "3栋", "1501", 13, "c:13"),  # insurance customers are their own
    ("insured", "", "", 14, "c:14"),
    ("agent", "", "", None, ""),  # not saved yet: filled in once the id exists
])
def test_household_key(kind, building, unit, customer_id, key):
    assert policy.household_key(kind, building, unit, customer_id) == key


@pytest.mark.parametrize(("raw", "consent"), [
    ("", False), ("是", True), ("否", False), ("Y", True), ("n", False), ("yes", True),
    ("TRUE", True), ("0", False), ("1", True), ("同意", True), ("不同意", False),
    ("maybe", None), ("也许", None),
])
def test_parse_consent(raw, consent):
    assert policy.parse_consent(raw) is consent


@pytest.mark.parametrize(("raw", "channel"), [
    ("", ""), ("sms", "sms"), ("短信", "sms"), ("Email", "email"), ("邮件", "email"),
    ("信函", "letter"), ("letter", "letter"), ("不联系", "none"), ("none", "none"),
    ("微信", None), ("fax", None),
])
def test_parse_channel(raw, channel):
    assert policy.parse_channel(raw) == channel


@pytest.mark.parametrize(("raw", "tags"), [
    ("", []),
    ("VIP", ["VIP"]),
    ("VIP，老年客户, 商铺", ["VIP", "老年客户", "商铺"]),
    ("VIP、VIP；老年客户;", ["VIP", "老年客户"]),
    (" , ，", []),
])
def test_parse_tags(raw, tags):
    assert policy.parse_tags(raw) == tags


GOOD = {"name": "张三", "kind": "owner", "phone": "138 0013 8000", "building": "3栋", "unit": "1501"}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "张" * 101}, "name", "At most %(max)s characters."),
    ({"kind": "policyholder"}, "kind", "Choose one of: %(kinds)s."),
    ({"phone": "abc"}, "phone", "Enter a phone number (digits, may start with +)."),
    ({"email": "nope"}, "email", "Enter an email address such as name@example.com."),
    ({"preferred_channel": "微信"}, "preferred_channel", "Choose SMS, email, letter or do not contact."),
    ({"preferred_channel": "email"}, "preferred_channel", "Email needs an email address."),
    ({"preferred_channel": "letter"}, "preferred_channel", "A letter needs a postal address."),
    ({"phone": "", "preferred_channel": "sms"}, "preferred_channel", "SMS needs a phone number."),
    ({"consent": "maybe"}, "consent", "Enter yes or no (是/否)."),
    ({"tags": ",".join(f"t{i}" for i in range(21))}, "tags", "At most %(max)s tags."),
    ({"tags": "x" * 51}, "tags", "A tag has at most %(max)s characters."),
    ({"external_ref": "P" * 65}, "external_ref", "At most %(max)s characters."),
    ({"notes": "bad\x00"}, "notes", "Enter a valid value."),
])
def test_check_customer_names_the_bad_field(change, field, message):
    _, errors = policy.check_customer({**GOOD, **change}, "property")
    assert list(errors) == [field]
    assert errors[field].message == message


def test_check_customer_normalises_a_good_row():
    data, errors = policy.check_customer(
        {**GOOD, "email": " Zhang@Example.com", "consent": "是", "tags": "VIP，老年客户",
         "kind": "业主"}, "property")
    assert errors == {}
    assert (data.kind, data.phone, data.email, data.consent_contact, data.tags) == (
        "owner", "13800138000", "zhang@example.com", True, ["VIP", "老年客户"])
    assert data.preferred_channel == "sms"  # not given: the phone


@pytest.mark.parametrize(("contact", "channel"), [
    ({"phone": "13800138000"}, "sms"),
    ({"email": "a@b.cn"}, "email"),
    ({"postal_address": "上海市浦东新区世纪大道100号"}, "letter"),
    ({}, "none"),
])
def test_channel_defaults_to_the_first_way_to_reach_them(contact, channel):
    data, errors = policy.check_customer({"name": "李四", "kind": "insured", **contact}, "insurance")
    assert errors == {} and data.preferred_channel == channel


@pytest.mark.parametrize(
    ("query", "household"),
    [
        ("3-2-1501", "3|21501"),
        ("３－２－１５０１", "3|21501"),
        ("3栋/1501", "3|1501"),
        ("3栋-2单元1501室", "3|21501"),
        ("张三", ""),
        ("13800138000", ""),
    ],
)
def test_a_flat_typed_at_the_front_desk_names_a_household(query, household):
    assert policy.flat_query_household(query) == household


def test_an_entrance_written_in_chinese_is_the_same_flat():
    assert policy.household_key("owner", "3栋", "2单元1501室", 1) == policy.household_key("resident", "3", "2-1501", 2)


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "张\x07三"}, "name"),  # a bell character pasted from another program
    ({"name": "张\n三"}, "name"),  # a name is one line
    ({"building": "3栋\x1b"}, "building"),
    ({"tags": "VIP\x00"}, "tags"),
])
def test_control_characters_are_refused_by_field(change, field):
    _, errors = policy.check_customer({**GOOD, **change}, "property")
    assert list(errors) == [field] and errors[field].message == "Enter a valid value."


def test_an_address_and_notes_may_keep_their_line_breaks():
    data, errors = policy.check_customer(
        {**GOOD, "postal_address": "上海市\n浦东新区", "notes": "第一行\r\n第二行"}, "property")
    assert errors == {}
    assert data.postal_address == "上海市\n浦东新区" and data.notes == "第一行\r\n第二行"


@pytest.mark.parametrize(("state", "error_count", "actions"), [
    ("preview", 0, {"confirm", "discard"}),
    ("preview", 3, {"discard"}),  # a file with errors is never imported, only dropped
    ("imported", 0, set()),
    ("discarded", 0, set()),
])
def test_what_may_be_done_with_an_import(state, error_count, actions):
    assert staged_imports.import_actions(state, error_count) == actions
