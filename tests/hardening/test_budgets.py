"""Work one tenant can start cannot hold the server: a runaway notice template is stopped by its
time budget with a message naming the field, in the user's language; an .xlsx bomb is refused;
/healthz keeps answering meanwhile (both run in a worker thread, off the event loop). How fast
each is refused is measured by `python -m bench.budgets`, not asserted here."""

from __future__ import annotations

import asyncio
import io
import time
import zipfile

import pytest

from kefu.core.uploads import UploadError, read_table
from kefu.notifications import templating

RUNAWAY = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize("source", [
    RUNAWAY,
    "{% for c in 'x' * 40000 %}{% for d in 'y' * 40000 %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
])
def test_a_runaway_template_is_stopped_by_its_budget(source):
    with pytest.raises(templating.TemplateProblem) as caught:
        templating.render_source("body", source, {})
    assert caught.value.field == "body"
    assert caught.value.detail.startswith("生成文字超过 0.5 秒，已停止")  # the tests' default locale


@pytest.mark.parametrize("source", [
    "{{ 'x'.ljust(1000000000) }}", "{{ '%999999999d' % 1 }}", "{{ '{:999999999}'.format(1) }}",
    "{{ ('x' * 40000)|replace('x', 'y' * 40000) }}", "{{ ('x' * 40000).replace('x', 'y' * 40000) }}",
    "{{ ('x' * 40000)|join('y' * 40000) }}", "{{ 'x'|center(999999999) }}", "{% set l = [1] %}{{ l.extend(l) }}",
])
def test_very_large_strings_are_refused_before_they_are_built(source):
    with pytest.raises(templating.TemplateProblem) as caught:
        templating.render_source("subject", source, {})
    assert caught.value.field == "subject"
    assert not caught.value.detail.startswith("生成文字超过")  # refused up front, not by the clock


def test_ordinary_wording_still_renders():
    text = templating.render_source(
        "body", "尊敬的{{ name|default('客户') }}：{{ day|date }}，{{ items|join('、') }}。{{ 'ok'.upper() }}",
        {"name": "张三", "day": "2026-12-01", "items": ["甲", "乙"]})
    assert text.startswith("尊敬的张三：") and "甲、乙" in text and text.endswith("OK")


async def _healthz_latencies(client, stop: asyncio.Event) -> list[float]:
    seen = []
    while not stop.is_set():
        started = time.monotonic()
        response = await client.get("/healthz")
        assert response.status_code == 200
        seen.append(time.monotonic() - started)
        await asyncio.sleep(0.01)
    return seen


async def _while_healthz(client, work):
    stop = asyncio.Event()
    pings = asyncio.create_task(_healthz_latencies(client, stop))
    await asyncio.sleep(0.02)
    started = time.monotonic()
    try:
        result = await work
    finally:
        elapsed = time.monotonic() - started
        stop.set()
    latencies = await pings
    return result, elapsed, latencies


async def test_a_runaway_preview_is_refused_in_one_language_and_healthz_answers(as_alice, client, cast):
    url = f"/t/{cast.tenant_a.slug}/notices/templates/preview"
    form = {"kind": "custom_runaway", "locale": "zh_CN", "channel": "email", "subject": "s", "body": RUNAWAY}
    response, elapsed, latencies = await _while_healthz(client, as_alice.post(url, form, htmx=True))
    assert response.status_code == 422
    # One language, whichever the member reads (the sandbox's own reason was English in both).
    chinese = "模板有误：生成文字超过 0.5 秒，已停止" in response.text
    english = "The template has an error: Rendering took longer than 0.5 s" in response.text
    assert chinese != english and ("took longer" not in response.text if chinese else "已停止" not in response.text)
    print(f"\nrunaway preview refused in {elapsed:.2f}s; /healthz max {max(latencies) * 1000:.0f} ms over {len(latencies)} pings")
    # /healthz was answered while the render ran (the attack run saw it wait 11.7 s).
    assert len(latencies) >= 2, latencies


def xlsx_bomb(rows: int, row: bytes = b"<row/>") -> bytes:
    """An .xlsx whose one sheet has `rows` empty rows: small zipped, large unpacked."""
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>'
             + row * rows + b"</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    # two million empty rows: as the attack run's file (~96 MB unpacked), and written short
    # (12 MB unpacked, under the unpacked limit, so the row count is what stops it)
    padded = b'<row spans="1:1" ht="15" customHeight="1"></row>'
    import openpyxl  # noqa: F401  (imported once before the clock runs: its import alone takes a second)
    return {"96MB": xlsx_bomb(2_000_000, padded), "12MB": xlsx_bomb(2_000_000)}


@pytest.mark.parametrize("which", ["96MB", "12MB"])
def test_an_xlsx_bomb_is_refused(bombs, which):
    content = bombs[which]
    assert len(content) < 400_000
    with pytest.raises(UploadError) as caught:
        list(read_table("bomb.xlsx", content, max_bytes=5 << 20, max_rows=20_000))
    assert caught.value.message


def test_reading_stops_at_the_time_limit(bombs):
    with pytest.raises(UploadError) as caught:
        list(read_table("bomb.xlsx", bombs["12MB"], max_bytes=5 << 20, max_rows=2_000_000, time_limit=0.2))
    assert "too long" in caught.value.message


async def test_the_bomb_uploaded_to_the_customer_import_is_refused_and_healthz_answers(bombs, as_alice, client, cast):
    from tests.jobs import finish

    url = f"/t/{cast.tenant_a.slug}/customers/import"

    async def upload_and_check():
        # The upload is stored and answered at once; the job that reads it refuses it.
        stored = await as_alice.post(url, files={"file": ("bomb.xlsx", bombs["12MB"], "application/octet-stream")})
        return await finish(as_alice, stored, cast.tenant_a.id)

    response, elapsed, latencies = await _while_healthz(client, upload_and_check())
    assert response.status_code == 200 and 'data-state="failed"' in response.text, response.status_code
    assert "too large once unpacked" in response.text or "rows; split it" in response.text
    print(f"\nimport of the 2M-empty-row bomb refused in {elapsed:.2f}s; /healthz max {max(latencies) * 1000:.0f} ms")
    assert latencies, "healthz was not answered while the import ran"
