"""The plumbing written once in kefu.core: Excel, phones, the form gate, labels."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from kefu import i18n
from kefu.core import excel, phones
from kefu.core.errors import FieldErrors
from kefu.core.forms import Form, clean_text, parse_day, parse_int
from kefu.core.labels import UNKNOWN, Labels


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_excel_keeps_formula_looking_text_as_text_and_shows_wall_clock_times():
    when = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
    data = excel.table("名单", ["姓名", "时间", "日期", "数"],
                       [["=HYPERLINK(\"http://x\")", when, date(2026, 3, 2), 7], ["+1 234", None, None, 1.5]],
                       tz="Asia/Shanghai")
    ws = _read(data)["名单"]
    assert ws["A1"].value == "姓名" and ws["A1"].font.b
    assert ws["A2"].value == '=HYPERLINK("http://x")' and ws["A2"].data_type == "s"
    assert ws["A3"].data_type == "s"
    assert ws["B2"].value == datetime(2026, 3, 2, 10, 30)
    assert ws["C2"].number_format == excel.DAY
    assert ws["D2"].value == 7 and ws["D3"].value == 1.5
    assert ws.freeze_panes == "A2"


def test_excel_sheet_names_are_made_valid_and_unique():
    book = excel.Book()
    book.sheet("a/b:c*?[d]")
    book.sheet("a/b:c*?[d]")
    book.sheet("x" * 40)
    names = _read(book.to_bytes()).sheetnames
    assert names == ["a b c   d", "a b c   d 2", "x" * 31]


def test_an_empty_book_is_still_a_workbook():
    assert _read(excel.Book().to_bytes()).sheetnames


@pytest.mark.parametrize(("raw", "expected"), [
    ("138 0013 8000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("0086 13800138000", "13800138000"),
    ("８６１３８００１３８０００", "13800138000"),  # full-width digits from an input method
    ("０２１－６８８８１２３４", "02168881234"),  # full-width dash too
    ("(021) 6432-1234", "02164321234"),
    ("+44 20 7946 0958", "+442079460958"),
    ("", ""),
    ("   ", ""),
    ("abc", None),
    ("1234", None),
    ("¹²³⁴⁵⁶", None),  # superscripts fold to digits only after NFKC: refused before int()
])
def test_phone_normalise(raw, expected):
    assert phones.normalise(raw) == expected


def test_phone_variants_cover_older_stored_forms():
    assert phones.variants("138-0013-8000") == sorted(
        {"13800138000", "+8613800138000", "8613800138000", "008613800138000"})
    assert phones.variants("not a phone") == []
    assert phones.key("+86 138 0013 8000") == "13800138000"


@pytest.mark.parametrize(("value", "multiline", "problem"), [
    ("plain", False, None),
    ("two\nlines", True, None),
    ("two\nlines", False, "Enter a valid value."),
    ("nul\x00", True, "Enter a valid value."),
    ("bell\x07", True, "Enter a valid value."),
    ("c1\x85c1", True, "Enter a valid value."),
    ("x" * 11, False, "At most %(max)s characters."),
])
def test_clean_text(value, multiline, problem):
    assert clean_text(value, max_length=10, multiline=multiline)[1] == problem


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (" -3 ", -3), ("²", None), ("١٢", None), ("1e3", None), ("", None),
    ("9" * 19, None), (True, None), (5, 5),
])
def test_parse_int_takes_ascii_digits_only(value, expected):
    assert parse_int(value) == expected


def test_parse_day():
    assert parse_day("2026-02-28") == date(2026, 2, 28)
    assert parse_day("2026-02-30") is None
    assert parse_day("２０２６-02-28") is None


def test_the_form_collects_every_error_by_field():
    with i18n.using_locale("en"):
        form = Form({"name": " 张三 ", "note": "a\x00b", "age": "²", "kind": "x", "day": "2026-13-01",
                     "count": "500"}, {"tags": ["a", "zzz"]})
        assert form.text("name", max_length=10) == "张三"
        form.text("note", max_length=100)
        form.integer("age", minimum=0, maximum=150)
        form.integer("count", minimum=1, maximum=100)
        form.choice("kind", ["a", "b"])
        form.day("day")
        assert form.choices("tags", ["a", "b"]) == ["a"]
        form.text("missing", max_length=5)
        assert set(form.errors) == {"note", "age", "count", "kind", "day", "tags", "missing"}
        assert form.errors["count"] == "Enter a number from 1 to 100."
        with pytest.raises(FieldErrors) as refused:
            form.check()
        assert refused.value.translated_all() == form.errors


def test_labels_translate_and_never_show_a_raw_code():
    labels = Labels({"open": "Open", "shop": {"zh_CN": "商铺", "en": "Shop"}})
    with i18n.using_locale("zh_CN"):
        assert labels("shop") == "商铺"
        assert labels("open") == i18n.gettext("Open")
    with i18n.using_locale("en"):
        assert labels("shop") == "Shop"
    assert labels("no_such_code") == UNKNOWN
    assert labels(None) == ""
    assert [code for code, _ in labels.options()] == ["open", "shop"]
