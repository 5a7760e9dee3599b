"""Printing to PDF, for every module (reports, letters, posters): HTML from a Jinja template,
WeasyPrint in a worker thread, nothing fetched from outside.

Chinese glyphs come from the project's own font, whatever the system has: Noto Sans SC
(fetched at setup into static/vendor/fonts by scripts/fetch_vendor.py, unpacked to TrueType
there) is declared with @font-face as "Kefu Sans SC", the first family of every print template,
so a machine without fonts-noto-cjk prints the same document as one with it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlsplit

from litestar import Response

from kefu import i18n
from kefu.core.web import environment
from kefu.settings import get_settings

log = logging.getLogger("kefu.pdf")
NO_PDF = i18n.lazy("PDFs cannot be made: the PDF renderer (WeasyPrint) is not available.")


class PdfUnavailable(Exception):
    """The document cannot be printed; `translated()` says why, in the reader's language."""

    def translated(self) -> str:
        return i18n.gettext(NO_PDF)


# A one-page document printed while someone waits (a receipt, a handover form, a poster, a
# letter) lays out in well under a second. Past PRINT_SECONDS the request answers rather than wait
# on a runaway document, and at most PRINT_THREADS lay out at once per server, so printing can
# neither hold a request nor take every thread from the other tenants. Long reports are jobs
# (kefu.workers.services.start_pdf), not bound by this.
PRINT_SECONDS = 20.0
PRINT_THREADS = 2
TOO_SLOW = i18n.lazy("The document took too long to print (more than %(seconds)s seconds); "
                     "nothing was printed. Please try again in a moment.")


class PdfTooSlow(PdfUnavailable):
    def translated(self) -> str:
        return i18n.gettext(TOO_SLOW, seconds=f"{PRINT_SECONDS:g}")


T = TypeVar("T")
_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _slots() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _SLOTS:
        _SLOTS[loop] = asyncio.Semaphore(PRINT_THREADS)
    return _SLOTS[loop]


async def in_print_thread(work: Callable[..., T], *args: Any) -> T:
    """`work(*args)` in a thread, one of at most PRINT_THREADS, within PRINT_SECONDS counted from
    the call (waiting for a free thread included); PdfTooSlow past it. A thread cannot be
    stopped: one that overruns keeps its slot until it ends, so overruns cannot pile up."""
    slots = _slots()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PRINT_SECONDS
    try:
        async with asyncio.timeout_at(deadline):
            await slots.acquire()
    except TimeoutError:
        log.warning("printing: no free print thread within %s s", PRINT_SECONDS)
        raise PdfTooSlow() from None
    task = asyncio.ensure_future(asyncio.to_thread(work, *args))

    def finished(done: asyncio.Future[T]) -> None:
        slots.release()
        if not done.cancelled():
            done.exception()  # retrieved: an overrun's own failure is logged below, not by asyncio

    task.add_done_callback(finished)
    try:
        async with asyncio.timeout_at(deadline):
            return await asyncio.shield(task)
    except TimeoutError:
        log.warning("printing: %s took longer than %s s; the request answered without it",
                    getattr(work, "__name__", work), PRINT_SECONDS)
        raise PdfTooSlow() from None


FAMILY = "Kefu Sans SC"  # its own name: fontconfig prefers a system font of the same name
SUBSETS = ("chinese-simplified", "latin")
WEIGHTS = (400, 700)


def fonts_dir() -> Path:
    return get_settings().static_dir / "vendor" / "fonts"



@functools.cache
def font_faces(folder: Path) -> str:
    """@font-face rules for the vendored font, each subset and weight under one family name."""
    rules = []
    for subset in SUBSETS:
        for weight in WEIGHTS:
            src = (folder / f"noto-sans-sc-{subset}-{weight}.ttf").as_uri()
            rules.append(
                f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
                f'src: url("{src}") format("truetype"); }}'
            )
    return "\n".join(rules)


def _is_vendored_font(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    return Path(unquote(parts.path)).resolve().parent == fonts_dir().resolve()


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        """Printed documents load nothing from outside; only the vendored font files are read."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not _is_vendored_font(url):
                raise ValueError(f"printed documents load nothing from outside: {url}")
            return super().fetch(url, headers)

    return FontsOnly


def write_pdf(html: str) -> bytes:
    """The PDF of a whole HTML document (blocking: call it in a thread); PdfUnavailable when
    WeasyPrint or its system libraries are missing."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError):
        log.exception("WeasyPrint is not available")
        raise PdfUnavailable() from None
    fonts = FontConfiguration()
    fetcher = _fetcher_class()(allowed_protocols=("file",))
    faces = CSS(string=font_faces(fonts_dir()), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[faces], font_config=fonts)
    return pdf


def print_html(template: str, context: dict[str, Any]) -> str:
    """A print template rendered on its own (no page chrome, no request)."""
    return environment().get_template(template).render(context)


async def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A short document printed while the request waits (in_print_thread's limits)."""
    return await in_print_thread(write_pdf, print_html(template, context))


def download(content: bytes, filename: str, media_type: str) -> Response[bytes]:
    """An attachment; the name in ASCII and, for Chinese names, RFC 5987."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
