"""PDFs print with the project's own CJK font (fetched at setup, embedded as "Kefu Sans SC"),
whatever fonts the system has, and load nothing else from outside."""

from __future__ import annotations

import pytest
from tests.complaints.reports.support import pdf_fonts, pdf_text
from tests.fixtures import missing_system_part

from kefu.core import pdf

DOC = """<!doctype html><html><head><style>
body {{ font-family: "Kefu Sans SC", sans-serif; }}</style></head>
<body><h1>投诉处理决定书</h1><p>Decision 2026 {extra}</p></body></html>"""


def _write(html: str) -> bytes:
    try:
        return pdf.write_pdf(html)
    except pdf.PdfUnavailable:
        missing_system_part("WeasyPrint or Pango is not available here (Debian: libpango-1.0-0)")


def test_the_vendored_font_is_there():
    for subset in pdf.SUBSETS:
        for weight in pdf.WEIGHTS:
            found = pdf.fonts_dir() / f"noto-sans-sc-{subset}-{weight}.ttf"
            assert found.is_file() and found.read_bytes()[:4] == b"\x00\x01\x00\x00", found


def test_chinese_prints_with_the_project_font():
    document = _write(DOC.format(extra=""))
    fonts = pdf_fonts(document)
    assert any(name.endswith("Kefu-Sans-SC-Bold") for name in fonts), fonts  # the h1
    assert any(name.endswith("Kefu-Sans-SC") for name in fonts), fonts
    assert "投诉处理决定书" in pdf_text(document).replace(" ", "")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.png", "file:///etc/passwd", "file:///etc/hostname",
])
def test_nothing_else_is_loaded(url):
    assert not pdf._is_vendored_font(url)
    document = _write(DOC.format(extra=f'<img src="{url}"><link rel="stylesheet" href="{url}">'))
    assert "Decision 2026" in pdf_text(document)


def test_only_files_in_the_font_folder_count_as_fonts():
    inside = (pdf.fonts_dir() / "noto-sans-sc-latin-400.ttf").as_uri()
    assert pdf._is_vendored_font(inside)
    assert not pdf._is_vendored_font(inside.replace("latin-400.ttf", "../versions.json"))


# --- printing while a request waits: a time limit and a bounded number of threads ----------------

async def test_a_print_over_its_time_answers_too_slow_and_keeps_its_thread_until_it_ends(monkeypatch):
    import asyncio
    import threading

    monkeypatch.setattr(pdf, "PRINT_SECONDS", 0.2)
    monkeypatch.setattr(pdf, "PRINT_THREADS", 1)
    monkeypatch.setattr(pdf, "_SLOTS", type(pdf._SLOTS)())  # this test's own slots
    release = threading.Event()

    def runaway() -> bytes:
        release.wait(5)
        return b"late"

    with pytest.raises(pdf.PdfTooSlow) as refused:
        await pdf.in_print_thread(runaway)
    assert "0.2" in refused.value.translated()
    # The overrunning thread still holds the only slot: the next print cannot start.
    with pytest.raises(pdf.PdfTooSlow):
        await pdf.in_print_thread(lambda: b"quick")
    release.set()
    for _ in range(50):  # the runaway ends; its slot comes back
        if not pdf._slots().locked():
            break
        await asyncio.sleep(0.02)
    assert await pdf.in_print_thread(lambda: b"quick") == b"quick"


async def test_a_print_that_fails_says_so_and_frees_its_thread(monkeypatch):
    monkeypatch.setattr(pdf, "PRINT_THREADS", 1)
    monkeypatch.setattr(pdf, "_SLOTS", type(pdf._SLOTS)())

    def broken() -> bytes:
        raise pdf.PdfUnavailable()

    for _ in range(3):
        with pytest.raises(pdf.PdfUnavailable) as refused:
            await pdf.in_print_thread(broken)
        assert not isinstance(refused.value, pdf.PdfTooSlow)
    assert await pdf.in_print_thread(lambda: b"ok") == b"ok"
