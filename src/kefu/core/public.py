"""What every public page (/p/{slug}/…, no sign-in) shares: the headers that keep a secret link
private, the client's address, and the 404 page. The tenant from the slug is the tenancy
module's `kefu.tenancy.public.public_tenant`, which leaves it in the scope under SCOPE_KEY."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.core.web import render

# Pages behind a secret link: never cached, never sent on as a referrer, never indexed.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
SCOPE_KEY = "kefu_public_tenant"


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def not_found_page(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[str]:
    """The public 404, under the tenant's name when the slug was found."""
    message = i18n.gettext("This page does not exist. Check the link, or ask us for a new one.")
    return render(request, "public/message.html", {
        "tenant": request.scope.get(SCOPE_KEY), "next_path": request.url.path,
        "title": i18n.gettext("Page not found"), "message": message,
    }, status_code=404, headers=PRIVATE)
