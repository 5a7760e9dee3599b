"""What every public page (/p/{slug}/…, no sign-in) shares: the tenant from the slug, the
headers that keep a secret link private, the client's address, and the 404 page."""

from __future__ import annotations

from litestar import Request, Response
from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.core.requests import LANG_COOKIE
from kefu.core.web import render
from kefu.tenancy.services import SLUG_RE
from kefu.tenancy.tables import Tenant

# Pages behind a secret link: never cached, never sent on as a referrer, never indexed.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
SCOPE_KEY = "kefu_public_tenant"


async def public_tenant(request: Request, slug: str) -> Tenant:
    """The active tenant of the slug, or a 404 (an unknown and an inactive slug look alike)."""
    tenant = None
    if SLUG_RE.match(slug):  # anything else cannot be a slug (and NUL cannot reach the database)
        tenant = await Tenant.objects().where(Tenant.slug == slug, Tenant.is_active.eq(True)).first()
    if tenant is None:
        raise NotFoundException()
    # A visitor who has not chosen a language reads the tenant's (Chinese by default).
    if request.scope.get("kefu_user") is None and LANG_COOKIE not in request.cookies:
        i18n.set_locale(tenant.locale)
    request.scope[SCOPE_KEY] = tenant  # type: ignore[literal-required]
    return tenant


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def not_found_page(request: Request, exc: NotFoundException) -> Response:
    """The public 404, under the tenant's name when the slug was found."""
    message = i18n.gettext("This page does not exist. Check the link, or ask us for a new one.")
    return render(request, "public/message.html", {
        "tenant": request.scope.get(SCOPE_KEY), "next_path": request.url.path,
        "title": i18n.gettext("Page not found"), "message": message,
    }, status_code=404, headers=PRIVATE)
