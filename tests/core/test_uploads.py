"""kefu.core.uploads: every uploaded table is read here, within limits that hold while reading."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from kefu.core import uploads
from kefu.core.uploads import UploadError, read_table


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_in_gb18030_and_xlsx_read_alike():
    rows = [["姓名", "手机"], ["张三", "13800138000"]]
    csv_bytes = "姓名,手机\n张三,13800138000\n".encode("gb18030")
    assert list(read_table("a.csv", csv_bytes, max_bytes=10_000, max_rows=10)) == rows
    assert list(read_table("a.xlsx", _xlsx([["姓名", "手机"], ["张三", 13800138000]]), max_bytes=100_000,
                           max_rows=10)) == rows


def test_a_zip_bomb_is_refused_before_it_is_parsed():
    # Given an .xlsx whose sheet unpacks far beyond the limit (highly compressible XML)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (uploads.MAX_UNPACKED // 6 + 10))
    content = out.getvalue()
    assert len(content) < 1_000_000
    started = time.monotonic()
    with pytest.raises(UploadError) as refused:
        list(read_table("bomb.xlsx", content, max_bytes=5_000_000, max_rows=100))
    assert "unpacked" in refused.value.message
    assert time.monotonic() - started < 1.0


def test_empty_lines_count_toward_the_limit():
    content = ("a,b\n" + "\n" * 5000 + "x,y\n").encode()
    with pytest.raises(UploadError) as refused:
        list(read_table("a.csv", content, max_bytes=1_000_000, max_rows=100))
    assert refused.value.variables == {"max": 100}


def test_rows_past_the_limit_are_refused():
    content = ("a\n" + "x\n" * 11).encode()
    with pytest.raises(UploadError):
        list(read_table("a.csv", content, max_bytes=1_000_000, max_rows=10))
    assert len(list(read_table("a.csv", ("a\n" + "x\n" * 10).encode(), max_bytes=1_000_000, max_rows=10))) == 11


def test_too_many_columns_are_refused():
    content = (",".join(f"c{i}" for i in range(uploads.MAX_COLUMNS + 5)) + "\n").encode()
    with pytest.raises(UploadError) as refused:
        list(read_table("a.csv", content, max_bytes=1_000_000, max_rows=10))
    assert refused.value.variables == {"max": uploads.MAX_COLUMNS}


@pytest.mark.parametrize(("name", "content", "why"), [
    ("a.pdf", b"%PDF", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
    ("a.xlsx", b"not a zip", "This file cannot be read as an Excel (.xlsx) workbook."),
    ("a.csv", b"\xff\xfe\x00a\x00b", "This CSV file is neither UTF-8 nor GBK text."),
    ("a.csv", b"", "The file is empty."),
])
def test_unusable_files_say_why(name, content, why):
    with pytest.raises(UploadError) as refused:
        list(read_table(name, content, max_bytes=1_000_000, max_rows=10))
    assert refused.value.message == why
