"""Importing units through the pages: upload -> preview with per-row errors (row, column,
reason) -> confirm; nothing imported until the whole file is clean; a clean file of 5,000
units imports; the export imports back."""

from __future__ import annotations

import re
import time
from decimal import Decimal

from kefu.units.tables import Building, UnitImport
from tests.customers.files import csv_bytes, xlsx
from tests.jobs import finish
from tests.units import factories
from tests.units.support import audit_actions, count, units

HEADER = ["楼栋", "单元", "房号", "面积", "用途", "备注"]


async def upload(client, desk, filename: str, content: bytes):
    """The upload, then its job (the file is checked off the request): the job page's answer,
    a 303 to the preview when the file could be read."""
    response = await client.post(desk.url("/import/"), files={"file": (filename, content)})
    if response.status_code != 303:
        return response
    return await finish(client, response, desk.tenant.id)


async def confirm(client, desk, imp_id: int):
    """The confirm, then its job (the rows are written off the request): a 303 to the list with
    what was done flashed, or to the preview when refused at once; the job's page when it failed."""
    response = await client.post(desk.url(f"/import/{imp_id}/confirm"))
    if response.status_code != 303 or "/jobs/" not in response.headers["location"]:
        return response
    return await finish(client, response, desk.tenant.id)


def import_id(response) -> int:
    assert response.status_code == 303, response.text[:500]
    return int(re.search(r"/import/(\d+)$", response.headers["location"]).group(1))


async def test_clean_file_previews_then_imports_once(estate):
    client = await estate.client()
    rows = [HEADER, ["3栋", "2", "1501", "89.5", "住宅", ""], ["3幢", "2", "1502室", "90", "商铺", "临街"],
            ["A座", "", "101", "", "车位", ""]]
    imp_id = import_id(await upload(client, estate, "房屋.xlsx", xlsx(rows)))
    page = await client.get(estate.url(f"/import/{imp_id}"))
    assert 'id="import-clean"' in page.text and await count(estate.tenant) == 0
    done = await confirm(client, estate, imp_id)
    assert done.status_code == 303
    made = await units(estate.tenant)
    assert [(u.address_key, u.area, u.use, u.floor) for u in made] == [
        ("3|2|1501", Decimal("89.50"), "residential", 15), ("3|2|1502", Decimal("90.00"), "shop", 15),
        ("a||101", None, "parking", 1)]
    assert await count(estate.tenant, Building) == 2  # 3栋 and 3幢 are one building
    again = await confirm(client, estate, imp_id)
    assert again.status_code == 303 and await count(estate.tenant) == 3
    assert await audit_actions(estate.tenant, "unit_import") == ["unit_import.upload", "unit_import.confirm"]


async def test_bad_rows_are_listed_by_row_and_column_and_nothing_imports(estate):
    client = await estate.client()
    rows = [HEADER, ["3栋", "2", "1501", "89.5", "住宅", ""], ["", "2", "1502", "abc", "办公", ""],
            ["3栋", "2", "1501室", "", "", ""]]
    imp_id = import_id(await upload(client, estate, "bad.csv", csv_bytes(rows)))
    page = await client.get(estate.url(f"/import/{imp_id}"))
    assert 'id="import-errors"' in page.text and 'id="confirm-form"' not in page.text
    assert "Row 3, Building: This field is required." in page.text
    assert "Row 3, Area (m²): Enter the area in m² as a number such as 89.5." in page.text
    assert "Row 3, Use:" in page.text
    assert "Row 4, Room: This unit is also on row 2." in page.text
    refused = await confirm(client, estate, imp_id)
    assert refused.status_code == 303
    assert await count(estate.tenant) == 0 and await count(estate.tenant, Building) == 0


async def test_unusable_files_are_refused_at_upload(estate):
    client = await estate.client()
    response = await upload(client, estate, "x.pdf", b"%PDF")  # refused at the upload itself
    assert response.status_code == 422 and "Upload an Excel workbook" in response.text
    for filename, content, words in (  # refused by the job that reads the file, on its page
        ("x.csv", csv_bytes([["姓名", "电话"], ["a", "1"]]), "楼栋 (building) and 房号 (room)"),
        ("x.csv", csv_bytes([HEADER]), "no units"),
        ("x.xlsx", b"not a zip", "cannot be read"),
    ):
        response = await upload(client, estate, filename, content)
        assert response.status_code == 200 and 'data-state="failed"' in response.text, filename
        assert words in response.text, filename
    assert await count(estate.tenant, UnitImport) == 0


async def test_a_known_unit_is_updated_and_the_export_imports_back(estate):
    u = await factories.unit(estate.tenant, "1栋", "101", area="50")
    client = await estate.client()
    exported = await client.get(estate.url("/export.xlsx"))
    imp_id = import_id(await upload(client, estate, "export.xlsx", exported.content))
    assert 'id="import-clean"' in (await client.get(estate.url(f"/import/{imp_id}"))).text
    rows = [HEADER, ["1栋", "", "101", "66.6", "商铺", "改"]]
    imp_id = import_id(await upload(client, estate, "u.csv", csv_bytes(rows)))
    await confirm(client, estate, imp_id)
    [again] = await units(estate.tenant)
    assert (again.id, again.area, again.use, again.notes) == (u.id, Decimal("66.60"), "shop", "改")


async def test_discard(estate):
    client = await estate.client()
    imp_id = import_id(await upload(client, estate, "试.csv", csv_bytes([HEADER, ["1栋", "", "1", "", "", ""]])))
    await client.post(estate.url(f"/import/{imp_id}/discard"))
    await confirm(client, estate, imp_id)
    assert await count(estate.tenant) == 0
    listing = await client.get(estate.url("/import/"))
    assert "试.csv" in listing.text


async def test_the_front_desk_cannot_import(estate):
    client = await estate.client("desk")
    assert (await client.get(estate.url("/import/"))).status_code == 403
    response = await upload(client, estate, "x.csv", csv_bytes([HEADER, ["1栋", "", "1", "", "", ""]]))
    assert response.status_code == 403 and await count(estate.tenant, UnitImport) == 0


async def test_a_clean_file_of_5000_units_imports(estate):
    rows = [HEADER] + [[f"{b}栋", str(e), f"{f}{r:02d}", "88.5", "住宅", ""]
                       for b in range(1, 6) for e in range(1, 3) for f in range(1, 26) for r in range(1, 21)]
    assert len(rows) == 5001
    client = await estate.client()
    started = time.perf_counter()
    imp_id = import_id(await upload(client, estate, "5000.xlsx", xlsx(rows)))
    checked = time.perf_counter()
    done = await confirm(client, estate, imp_id)
    finished = time.perf_counter()
    assert done.status_code == 303
    assert await count(estate.tenant) == 5000
    print(f"5,000 units: upload and check {checked - started:.2f} s, import {finished - checked:.2f} s")


async def test_a_stale_preview_loses_its_rows_and_is_discarded(estate):
    from datetime import timedelta

    from kefu.core import clock
    from kefu.core.imports import loaded
    from kefu.db import transaction
    from kefu.units import services

    client = await estate.client()
    imp_id = import_id(await upload(client, estate, "房屋.csv", csv_bytes([HEADER, ["3栋", "2", "1501", "89.5", "住宅", ""]])))
    await services.forget_stale_imports()
    async with transaction(estate.tenant.id, write=False):
        fresh = await UnitImport.objects().where(UnitImport.tenant == estate.tenant.id, UnitImport.id == imp_id).first()
    assert fresh.state == "preview" and len(loaded(fresh.rows)) == 1  # a fresh preview keeps its rows
    async with transaction(estate.tenant.id, write=True):
        await UnitImport.update({UnitImport.created_at: clock.now() - timedelta(days=8)}).where(
            UnitImport.tenant == estate.tenant.id, UnitImport.id == imp_id)
    assert await services.forget_stale_imports() >= 1
    async with transaction(estate.tenant.id, write=False):
        row = await UnitImport.objects().where(UnitImport.tenant == estate.tenant.id, UnitImport.id == imp_id).first()
    assert (row.state, loaded(row.rows), row.row_count) == ("discarded", [], 1)
    refused = await confirm(client, estate, imp_id)
    assert refused.status_code in (303, 409) and await count(estate.tenant) == 0
