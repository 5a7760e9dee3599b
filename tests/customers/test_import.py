"""Import through the pages: upload -> preview with per-row errors -> confirm, in one
transaction, once."""

from __future__ import annotations

import re

from kefu.customers import schemas
from tests.customers import factories
from tests.customers.files import ZH_HEADER, csv_bytes, xlsx
from tests.customers.support import audit_actions, count, customers, load_import, tags
from tests.jobs import finish

CLEAN = [
    ZH_HEADER,
    ["张三", "13800138000", "zhang@example.cn", "业主", "1栋", "101", "Y-001", "是", "短信", "VIP，老年客户"],
    ["李四", "139 0013 9000", "", "住户", "1栋", "101室", "", "否", "", "商铺"],
    ["王五", "", "wangwu@example.cn", "业主", "2栋", "202", "Y-003", "Y", "邮件", ""],
]


async def upload(client, desk, filename: str, content: bytes):
    """The upload, then its job (the file is checked off the request): the job page's answer,
    a 303 to the preview when the file could be read."""
    response = await client.post(desk.url("/import/"), files={"file": (filename, content)})
    if response.status_code != 303:
        return response
    return await finish(client, response, desk.tenant.id)


async def confirm(client, desk, imp_id: int):
    """The confirm, then its job (the rows are written off the request): a 303 to the list with
    what was done flashed, or to the preview when it was refused at once; the job's page (200)
    when the job failed."""
    response = await client.post(desk.url(f"/import/{imp_id}/confirm"))
    if response.status_code != 303 or "/jobs/" not in response.headers["location"]:
        return response
    return await finish(client, response, desk.tenant.id)


def import_id(response) -> int:
    assert response.status_code == 303, response.text[:2000]
    return int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])


async def test_clean_file_previews_then_imports_once(estate):
    client = await estate.client()
    response = await upload(client, estate, "住户名单.xlsx", xlsx(CLEAN))
    imp_id = import_id(response)
    assert await count(estate.tenant) == 0  # nothing before the confirm
    preview = await client.get(response.headers["location"])
    assert preview.status_code == 200
    assert 'id="import-clean"' in preview.text and 'id="confirm-button"' in preview.text
    assert all(name in preview.text for name in ("张三", "李四", "王五"))

    done = await confirm(client, estate, imp_id)
    assert done.status_code == 303
    page = await client.get(done.headers["location"])
    assert "Imported: 3 new customers, 0 updated." in page.text
    made = {c.name: c for c in await customers(estate.tenant)}
    assert set(made) == {"张三", "李四", "王五"}
    zhang, li, wang = made["张三"], made["李四"], made["王五"]
    assert (zhang.phone, zhang.email, zhang.kind, zhang.external_ref) == (
        "13800138000", "zhang@example.cn", "owner", "Y-001")
    assert zhang.consent_contact and zhang.consent_at is not None and not li.consent_contact
    assert li.phone == "13900139000" and li.preferred_channel == "sms"
    assert wang.preferred_channel == "email"
    assert zhang.household == li.household == "1|101"  # one flat, one household
    assert await tags(estate.tenant, zhang.id) == ["VIP", "老年客户"]
    assert await tags(estate.tenant, li.id) == ["商铺"]
    imp = await load_import(estate.tenant, imp_id)
    assert (imp.state, imp.imported_count) == ("imported", 3) and imp.imported_at is not None

    # A second confirm (a double click, the back button) imports nothing more.
    again = await confirm(client, estate, imp_id)
    assert again.status_code == 303
    page = await client.get(again.headers["location"])
    assert "This file was imported already; nothing more was done." in page.text
    assert await count(estate.tenant) == 3
    assert await audit_actions(estate.tenant, "customer_import") == [
        "customer_import.upload", "customer_import.confirm"]


async def test_bad_rows_are_listed_and_nothing_imports(insurer):
    client = await insurer.client()
    rows = [
        ["姓名", "电话", "类型", "保单号", "同意联系"],
        ["张三", "13800138000", "投保人", "P-1", "是"],
        ["", "abc", "业主", "P-2", "也许"],
        ["王五", "13700137000", "被保险人", "P-1", "否"],
    ]
    imp_id = import_id(await upload(client, insurer, "保单客户.csv", csv_bytes(rows)))
    preview = await client.get(insurer.url(f"/import/{imp_id}"))
    assert preview.status_code == 200
    assert 'id="import-errors"' in preview.text and 'id="confirm-button"' not in preview.text
    assert "5 problems in this file." in preview.text
    for text in ("Row 3, Full name: This field is required.",
                 "Row 3, Phone: Enter a phone number (digits, may start with +).",
                 "Row 3, Kind: Choose one of:",
                 "Row 3, Consent to contact: Enter yes or no (是/否).",
                 "Row 4, Policy or customer number: The number P-1 is also on row 2."):
        assert text in preview.text, text
    assert 'data-row="2"' not in preview.text  # only the rows with problems are listed
    # Posting the confirm anyway imports nothing.
    refused = await confirm(client, insurer, imp_id)
    assert refused.status_code == 303
    page = await client.get(refused.headers["location"])
    assert "Nothing was imported." in page.text
    assert await count(insurer.tenant) == 0
    assert (await load_import(insurer.tenant, imp_id)).state == "preview"


async def test_gbk_csv_from_chinese_excel(insurer):
    rows = [["姓名", "手机", "客户类型", "客户编号", "标签"],
            ["欧阳修", "13800138001", "投保人", "C-01", "VIP、老年客户"],
            ["司马光", "13800138002", "受益人", "C-02", ""]]
    client = await insurer.client()
    imp_id = import_id(await upload(client, insurer, "客户.csv", csv_bytes(rows, "gbk")))
    preview = await client.get(insurer.url(f"/import/{imp_id}"))
    assert "欧阳修" in preview.text and 'id="import-clean"' in preview.text
    await confirm(client, insurer, imp_id)
    made = {c.name: c for c in await customers(insurer.tenant)}
    assert made["司马光"].kind == "beneficiary"
    assert await tags(insurer.tenant, made["欧阳修"].id) == ["VIP", "老年客户"]


async def test_rows_with_a_known_number_update_that_customer(insurer):
    old = await factories.customer(insurer.tenant, "旧名字", external_ref="P-9", phone="13000130000",
                                   email="old@example.cn", tags=["旧标签"])
    rows = [["姓名", "保单号", "电话", "类型"],
            ["新名字", "P-9", "13100131000", "投保人"],
            ["新客户", "P-10", "13200132000", "代理人"]]
    client = await insurer.client()
    imp_id = import_id(await upload(client, insurer, "更新.csv", csv_bytes(rows)))
    done = await confirm(client, insurer, imp_id)
    page = await client.get(done.headers["location"])
    assert "Imported: 1 new customers, 1 updated." in page.text
    made = {c.external_ref: c for c in await customers(insurer.tenant)}
    assert made["P-9"].id == old.id and made["P-9"].name == "新名字"
    assert made["P-9"].phone == "13100131000"
    assert made["P-9"].email == "old@example.cn"  # no email column: kept
    assert await tags(insurer.tenant, old.id) == ["旧标签"]  # no tags column: kept
    assert made["P-10"].household == f"c:{made['P-10'].id}"


async def test_unusable_files_are_refused_at_upload(insurer):
    client = await insurer.client()
    oversize = b"\xe5\xa7\x93\xe5\x90\x8d\n" + b"a" * (schemas.MAX_BYTES + 10)
    for filename, content, message in (
        ("big.csv", oversize, "The file is larger than 5 MB; split it into several files."),
        ("notes.pdf", b"%PDF", "Upload an Excel workbook (.xlsx) or a CSV file (.csv)."),
        ("empty.csv", b"", "The file is empty."),
    ):
        response = await upload(client, insurer, filename, content)
        assert response.status_code == 422, filename
        assert message in response.text and 'id="file-error"' in response.text
    no_file = await client.post(insurer.url("/import/"), {"x": "1"})
    assert no_file.status_code == 422 and "Choose a file to upload." in no_file.text


async def test_a_file_the_job_cannot_read_fails_on_the_job_page(insurer):
    # The upload is stored and checked by a worker: its page names what is wrong with the file.
    client = await insurer.client()
    stored = await client.post(insurer.url("/import/"), files={"file": ("broken.xlsx", b"PK\x03\x04 not really")})
    page = await finish(client, stored, insurer.tenant.id)
    assert page.status_code == 200 and 'data-state="failed"' in page.text
    assert "This file cannot be read as an Excel (.xlsx) workbook." in page.text and 'id="job-error"' in page.text
    assert 'hx-trigger="every' not in page.text  # a finished job is not polled any more
    assert (await client.get(insurer.url("/import/"))).text.count("broken.xlsx") == 0  # no preview stored


async def test_too_many_rows(insurer, monkeypatch):
    monkeypatch.setattr(schemas, "MAX_ROWS", 5)
    rows = [["姓名"]] + [[f"客户{i}"] for i in range(6)]
    response = await upload(await insurer.client(), insurer, "many.csv", csv_bytes(rows))
    assert response.status_code == 200 and 'data-state="failed"' in response.text
    assert "The file has more than 5 rows; split it into several files." in response.text


async def test_discard_and_recent_imports(insurer):
    client = await insurer.client()
    imp_id = import_id(await upload(client, insurer, "试一下.csv", csv_bytes([["姓名", "类型"], ["甲", "投保人"]])))
    page = await client.get(insurer.url("/import/"))
    assert "试一下.csv" in page.text and "Waiting for confirmation" in page.text
    await client.post(insurer.url(f"/import/{imp_id}/discard"))
    assert (await load_import(insurer.tenant, imp_id)).state == "discarded"
    await confirm(client, insurer, imp_id)
    assert await count(insurer.tenant) == 0
    preview = await client.get(insurer.url(f"/import/{imp_id}"))
    assert 'id="confirm-button"' not in preview.text and re.search(r'data-state="discarded"', preview.text)


async def test_a_number_added_at_the_same_moment_rolls_the_import_back(estate, monkeypatch):
    # The race of two imports adding one new number: the second's insert hits the unique index.
    # Simulated by hiding the customer the first one committed from the existing-number lookup.
    from kefu.customers.services import imports

    client = await estate.client()
    imp_id = import_id(await upload(client, estate, "住户名单.xlsx", xlsx(CLEAN)))
    await factories.customer(estate.tenant, "先到的", external_ref="Y-003")

    async def nothing_known(tenant_id, refs):
        return {}

    monkeypatch.setattr(imports, "_existing", nothing_known)
    done = await confirm(client, estate, imp_id)
    assert done.status_code == 200 and 'data-state="failed"' in done.text  # the job's page
    assert "Nothing was imported: confirm again." in done.text
    assert f'href="/t/{estate.slug}/customers/import/{imp_id}" id="job-back"' in done.text
    assert {c.name for c in await customers(estate.tenant)} == {"先到的"}  # nothing from the file
    assert (await load_import(estate.tenant, imp_id)).state == "preview"  # may be confirmed again
    monkeypatch.undo()
    again = await confirm(client, estate, imp_id)
    assert again.status_code == 303
    # Confirmed again, the number that is now known updates that customer.
    assert sorted(c.name for c in await customers(estate.tenant)) == sorted(["张三", "李四", "王五"])


async def test_old_uploads_lose_their_rows_and_stale_previews_are_discarded(estate, insurer):
    from datetime import timedelta

    from kefu.core import clock
    from kefu.core.imports import loaded
    from kefu.customers import services
    from kefu.customers.tables import CustomerImport
    from kefu.db import transaction

    client = await estate.client()
    stale = import_id(await upload(client, estate, "旧名单.xlsx", xlsx(CLEAN)))
    done = import_id(await upload(client, estate, "已导入.xlsx", xlsx(CLEAN)))
    assert (await confirm(client, estate, done)).status_code == 303
    fresh = import_id(await upload(client, estate, "新名单.xlsx", xlsx(CLEAN)))
    other = await insurer.client()
    elsewhere = import_id(await upload(other, insurer, "别家.csv", csv_bytes([["姓名", "类型"], ["甲", "投保人"]])))
    eight_days_ago = clock.now() - timedelta(days=8)
    for desk, ids in ((estate, [stale, done]), (insurer, [elsewhere])):
        async with transaction(desk.tenant.id, write=True):
            await CustomerImport.update({CustomerImport.created_at: eight_days_ago}).where(
                CustomerImport.tenant == desk.tenant.id, CustomerImport.id.is_in(ids))

    assert await services.forget_stale_imports() >= 3
    old, imported, kept = [await load_import(estate.tenant, i) for i in (stale, done, fresh)]
    assert (old.state, loaded(old.rows), loaded(old.errors), old.row_count) == ("discarded", [], [], 3)
    assert (imported.state, loaded(imported.rows), imported.imported_count) == ("imported", [], 3)
    assert kept.state == "preview" and len(loaded(kept.rows)) == 3
    assert loaded((await load_import(insurer.tenant, elsewhere)).rows) == []  # every tenant's, each under its own
    assert await count(estate.tenant) == 3  # the imported customers stay
    assert await services.forget_stale_imports() == 0  # nothing left to drop: the sweep is idempotent

    page = await client.get(estate.url(f"/import/{stale}"))
    assert page.status_code == 200 and 'id="confirm-button"' not in page.text and "张三" not in page.text
    assert re.search(r'data-state="discarded"', page.text)
