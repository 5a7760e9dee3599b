"""Printing to PDF, for every module (reports, letters, posters): HTML from a Jinja template,
WeasyPrint in a worker thread, nothing fetched from outside, CJK glyphs from the Noto CJK fonts
(fonts-noto-cjk) named in the template's CSS.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, NoReturn
from urllib.parse import quote

from litestar import Response

from kefu import i18n
from kefu.core.web import environment

log = logging.getLogger("kefu.pdf")
NO_PDF = i18n.lazy("PDFs cannot be made: the PDF renderer (WeasyPrint) is not available.")


class PdfUnavailable(Exception):
    pass


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"printed documents load nothing from outside: {url}")


def write_pdf(html: str) -> bytes:
    """The PDF of a whole HTML document (blocking: call it in a thread); PdfUnavailable when
    WeasyPrint or its system libraries are missing."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        log.exception("WeasyPrint is not available")
        raise PdfUnavailable() from None
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


def print_html(template: str, context: dict[str, Any]) -> str:
    """A print template rendered on its own (no page chrome, no request)."""
    return environment().get_template(template).render(context)


async def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return await asyncio.to_thread(write_pdf, print_html(template, context))


def download(content: bytes, filename: str, media_type: str) -> Response[bytes]:
    """An attachment; the name in ASCII and, for Chinese names, RFC 5987."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
