"""The QR poster: an A4 PDF with the tenant's name, the round's title and the open link as text,
and a PNG rendered from that PDF's page."""

from __future__ import annotations

import io
import shutil
import subprocess

from PIL import Image

from tests.fixtures import missing_system_part
from tests.surveys import factories as survey_factories


def _pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return "".join(page.get_textpage().get_text_range() for page in document)


async def test_poster_pdf_and_png(centre_pages):
    t = centre_pages.tenant
    row = await survey_factories.survey_round(t, title="2026年下半年业主满意度调查", open_link=True)
    me = await centre_pages.client("supervisor")
    url = centre_pages.url(f"/rounds/{row.id}")
    pdf = await me.get(url + "/poster.pdf")
    if pdf.status_code == 503:
        missing_system_part("WeasyPrint or Pango is not available here (Debian: libpango-1.0-0)")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert t.name.split()[0] in text  # the Chinese part of the tenant's name
    assert "2026年下半年业主满意度调查" in text
    assert f"/p/{t.slug}/s/{row.open_token}" in text.replace("\n", "")
    assert "客户意见调查" in text  # the poster speaks the tenant's language
    png = await me.get(url + "/poster.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    image.load()
    assert image.format == "PNG" and image.height > image.width > 1000  # an A4 page at 150 dpi
