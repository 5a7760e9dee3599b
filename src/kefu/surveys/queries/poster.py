"""The printable QR poster for notice boards and lift lobbies: an A4 PDF (WeasyPrint, CJK glyphs
from Noto CJK) with the tenant's name, the round's title, the closing date, the QR code of the
round's open link (SVG from segno) and the link as text. The PNG is that PDF's page rendered by
pdfium, so both come from one template.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from kefu import i18n
from kefu.core import pdf
from kefu.core.tenancy import TenantRow
from kefu.core.web import environment
from kefu.surveys.links import answer_url
from kefu.surveys.policy.rounds import closes_on

log = logging.getLogger("kefu.surveys")
TEMPLATE = "surveys/rounds/poster_print.html"
PNG_DPI = 150


class PosterUnavailable(pdf.PdfUnavailable):
    """The PNG renderer (pypdfium2) is missing."""


def qr_svg(url: str) -> Markup:
    import segno

    # Error correction M survives a worn or partly covered print; omitsize lets CSS size it.
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)
    return Markup(svg)  # noqa: S704 — segno's own SVG of the URL, which it escapes


def poster_context(tenant: TenantRow, round_row: dict[str, Any]) -> dict[str, Any]:
    url = answer_url(tenant.slug, round_row["open_token"])
    return {
        "tenant_name": tenant.name, "title": round_row["title"],
        "closes_on": closes_on(round_row["closes_at"], tenant.timezone),
        "url": url, "qr": qr_svg(url), "locale": tenant.locale if tenant.locale in ("zh_CN", "en") else "zh_CN",
    }


@lru_cache(maxsize=32)  # a poster is printed again and again; its HTML is its key
def _pdf(html: str) -> bytes:
    return pdf.write_pdf(html)


def _png(pdf: bytes) -> bytes:
    try:
        import pypdfium2
    except ImportError:
        log.exception("pypdfium2 is not available")
        raise PosterUnavailable() from None
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=PNG_DPI / 72).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def poster_html(tenant: TenantRow, round_row: dict[str, Any]) -> str:
    context = poster_context(tenant, round_row)
    # The poster speaks the tenant's language (residents read it), not the staff member's.
    with i18n.using_locale(context["locale"]):
        return environment().get_template(TEMPLATE).render(context)


async def poster_pdf(tenant: TenantRow, round_row: dict[str, Any]) -> bytes:
    return await pdf.in_print_thread(_pdf, poster_html(tenant, round_row))


async def poster_png(tenant: TenantRow, round_row: dict[str, Any]) -> bytes:
    document = await poster_pdf(tenant, round_row)
    return await pdf.in_print_thread(_png, document)
