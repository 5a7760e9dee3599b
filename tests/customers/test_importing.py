"""Reading import files (plain functions): formats, encodings, header names, limits, and the
per-row check with its row numbers."""

from __future__ import annotations

import pytest

from kefu.customers import policy, schemas
from tests.customers.files import ZH_HEADER, csv_bytes, xlsx

ROWS = [
    ZH_HEADER,
    ["张三", "13800138000", "zhang@example.cn", "业主", "1栋", "101", "Y-001", "是", "短信", "VIP，老年客户"],
    ["李四", 13900139000, "", "住户", "2栋", "202", "", "否", "", ""],
]


@pytest.mark.parametrize(("filename", "content"), [
    ("customers.xlsx", xlsx(ROWS)),
    ("customers.csv", csv_bytes(ROWS)),
    ("customers.csv", b"\xef\xbb\xbf" + csv_bytes(ROWS)),  # Excel's "CSV UTF-8"
    ("客户.CSV", csv_bytes(ROWS, "gbk")),  # Chinese Excel's plain "CSV"
    ("customers.csv", csv_bytes(ROWS, "gb18030")),
])
def test_reads_xlsx_and_csv_in_every_encoding(filename, content):
    parsed = schemas.parse_file(filename, content)
    assert parsed.columns["name"] == "姓名" and parsed.columns["external_ref"] == "客户编号"
    assert [r["row"] for r in parsed.rows] == [2, 3]
    assert parsed.rows[0]["values"]["tags"] == "VIP，老年客户"
    assert parsed.rows[1]["values"]["phone"] == "13900139000"  # a number cell, no ".0"
    assert parsed.rows[1]["values"]["name"] == "李四"


def test_english_headers_and_unknown_columns():
    parsed = schemas.parse_file("c.csv", csv_bytes([
        ["Name", "Phone", "E-mail", "Kind", "Policy", "Channel", "Tags", "Favourite colour"],
        ["Li Si", "+86 139 0013 9000", "li@x.cn", "insured", "P-1", "email", "VIP"],
    ]))
    assert set(parsed.columns) == {"name", "phone", "email", "kind", "preferred_channel", "tags"}
    assert parsed.rows[0]["values"]["tags"] == "VIP"


def test_semicolon_csv_and_blank_rows_are_skipped():
    content = "姓名;电话\n\n王五;13700137000\n;\n赵六;13600136000\n".encode()
    parsed = schemas.parse_file("c.csv", content)
    assert [(r["row"], r["values"]["name"]) for r in parsed.rows] == [(3, "王五"), (5, "赵六")]


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("c.pdf", b"%PDF-1.4", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
    ("c.xlsx", b"not a zip at all", "This file cannot be read as an Excel (.xlsx) workbook."),
    ("c.csv", b"", "The file is empty."),
    ("c.csv", b"\n\n", "The file is empty."),
    ("c.csv", "电话,邮箱\n1380,a@b.cn\n".encode(), "The first row must name the columns, with at least 姓名 (name)."),
    ("c.csv", "姓名,电话\n".encode(), "The file has column names but no customers."),
    ("c.csv", "姓名,name\n张三,张三\n".encode(), "The columns %(first)s and %(second)s say the same thing; keep one."),
    ("c.csv", b"\x00\x01\x02\xff\xfe\x00", "This CSV file is neither UTF-8 nor GBK text."),
])
def test_unusable_files_are_refused_with_a_reason(filename, content, message):
    with pytest.raises(schemas.ImportFileError) as caught:
        schemas.parse_file(filename, content)
    assert caught.value.message == message


def test_oversize_and_too_many_rows(monkeypatch):
    with pytest.raises(schemas.ImportFileError) as caught:
        schemas.parse_file("c.csv", b"x" * (schemas.MAX_BYTES + 1))
    assert caught.value.variables == {"max": 5}
    monkeypatch.setattr(schemas, "MAX_ROWS", 3)
    rows = [["姓名"]] + [[f"客户{i}"] for i in range(4)]
    with pytest.raises(schemas.ImportFileError) as caught:
        schemas.parse_file("c.csv", csv_bytes(rows))
    assert "more than %(max)s rows" in caught.value.message


def test_check_rows_names_row_and_column():
    parsed = schemas.parse_file("c.csv", csv_bytes([
        ["姓名", "电话", "类型", "保单号"],
        ["张三", "13800138000", "投保人", "P-1"],
        ["", "abc", "业主", "P-2"],  # row 3: no name, bad phone, not an insurance kind
        ["王五", "13700137000", "被保险人", "P-1"],  # row 4: P-1 again
    ]))
    errors = policy.check_rows(parsed.rows, "insurance")
    found = [(e["row"], e["field"]) for e in errors]
    assert found == [(3, "name"), (3, "kind"), (3, "phone"), (4, "external_ref")]
    assert errors[-1]["vars"] == {"ref": "P-1", "first": "2"}
