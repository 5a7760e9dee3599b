"""Reading the reports back: PDF text (pdftotext, when poppler-utils is installed) and fonts,
workbooks as {sheet: rows}."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib

from openpyxl import load_workbook


def pdf_fonts(pdf: bytes) -> set[str]:
    """Names of the fonts a PDF embeds (from its compressed object streams too)."""
    text = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(stream)
        except zlib.error:
            pass
    return {m.decode() for m in re.findall(rb"/(?:BaseFont|FontName)\s*/([A-Za-z0-9+\-]+)", text)}


def pdf_text(pdf: bytes) -> str | None:
    """The PDF's text, or None where pdftotext is not installed."""
    if not shutil.which("pdftotext"):
        return None
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def assert_pdf_shows(pdf: bytes, *texts: str) -> None:
    """A PDF with CJK glyphs embedded that shows each of `texts` (checked where pdftotext runs)."""
    assert pdf.startswith(b"%PDF")
    assert any("CJK" in name for name in pdf_fonts(pdf)), pdf_fonts(pdf)
    text = pdf_text(pdf)
    if text is not None:
        flat = re.sub(r"\s+", "", text)
        for wanted in texts:
            assert re.sub(r"\s+", "", wanted) in flat, (wanted, text[:3000])


def workbook(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def rows_by_first(rows: list[tuple]) -> dict:
    return {row[0]: row for row in rows[1:] if row and row[0] is not None}
