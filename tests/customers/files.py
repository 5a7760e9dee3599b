"""Import files built in memory: XLSX with openpyxl, CSV in UTF-8, UTF-8 with BOM or GBK."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

ZH_HEADER = ["姓名", "电话", "邮箱", "类型", "楼栋", "房号", "客户编号", "同意联系", "首选渠道", "标签"]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)
