"""Reading the reports back: PDF text (pdftotext where poppler-utils is installed, else pdfium,
a dependency) and fonts, workbooks as {sheet: rows}."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib

from openpyxl import load_workbook

from kefu.complaints.policy import policy_for
from kefu.complaints.queries.reports.issued import frozen_figures
from kefu.complaints.services import issue_analysis_report
from kefu.core import clock


def pdf_fonts(pdf: bytes) -> set[str]:
    """Names of the fonts a PDF embeds (from its compressed object streams too).

    Each stream is inflated from its start until the deflate data ends, not cut at the next
    "endstream": compressed bytes may themselves end in a carriage return, which a pattern like
    `\\r?\\nendstream` would take away (one PDF in a few hundred then seemed to have no fonts)."""
    text = pdf
    view = memoryview(pdf)
    for start in re.finditer(rb"(?<!end)stream\r?\n", pdf):
        try:
            text += zlib.decompressobj().decompress(view[start.end():])
        except zlib.error:
            pass
    return {m.decode() for m in re.findall(rb"/(?:BaseFont|FontName)\s*/([A-Za-z0-9+\-]+)", text)}


def pdf_text(pdf: bytes) -> str:
    """The PDF's text."""
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
        return done.stdout.decode("utf-8")
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def assert_pdf_shows(pdf: bytes, *texts: str) -> None:
    """A PDF that shows each of `texts` with the project's own CJK font embedded (kefu.core.pdf:
    the same glyphs on a machine without system CJK fonts)."""
    assert pdf.startswith(b"%PDF")
    assert any(name.endswith("Kefu-Sans-SC") for name in pdf_fonts(pdf)), pdf_fonts(pdf)
    text = pdf_text(pdf)
    flat = re.sub(r"\s+", "", text)
    for wanted in texts:
        assert re.sub(r"\s+", "", wanted) in flat, (wanted, text[:3000])


def workbook(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def rows_by_first(rows: list[tuple]) -> dict:
    return {row[0]: row for row in rows[1:] if row and row[0] is not None}


async def issue_report(ctx, period, note: str = "") -> int:
    """Issue `period`'s analysis report to management as the analysis page does: its figures
    read, then recorded by the service."""
    policy = policy_for(ctx.tenant.kind, ctx.tenant.settings)
    figures = await frozen_figures(ctx.tenant_id, period, clock.today_in(ctx.tenant.timezone),
                                   channel_order=tuple(c.code for c in policy.channels),
                                   category_order=tuple(c.code for c in policy.categories))
    return await issue_analysis_report(ctx, figures, note)
