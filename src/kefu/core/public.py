"""What every public page (/p/{slug}/…, no sign-in) shares: the headers that keep a secret link
private, the client's address (sign-in uses it too), and the 404 page. The tenant from the slug is the tenancy
module's `kefu.tenancy.public.public_tenant`, which leaves it in the scope under SCOPE_KEY."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.core.web import render
from kefu.settings import get_settings

# Pages behind a secret link: never cached, never sent on as a referrer, never indexed.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
SCOPE_KEY = "kefu_public_tenant"


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address for throttles and logs: the direct peer, unless that peer is one of
    KEFU_TRUSTED_PROXIES; then X-Forwarded-For read from the right, skipping trusted proxies,
    gives the first address no trusted proxy vouches for. Anyone else's X-Forwarded-For is ignored."""
    peer = request.client.host if request.client else "unknown"
    trusted = get_settings().trusted_proxies
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for v in request.headers.getall("x-forwarded-for", []) for h in v.split(",")]
    for hop in reversed([h for h in hops if h]):
        try:
            address = ip_address(hop)
        except ValueError:
            return peer  # a forged or garbled list: the proxy itself is what we know
        if not any(address in net for net in trusted):
            return str(address)
    return peer


def _is_trusted(peer: str, trusted: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        address = ip_address(peer)
    except ValueError:
        return False
    return any(address in net for net in trusted)


def not_found_page(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[str]:
    """The public 404, under the tenant's name when the slug was found."""
    message = i18n.gettext("This page does not exist. Check the link, or ask us for a new one.")
    return render(request, "public/message.html", {
        "tenant": request.scope.get(SCOPE_KEY), "next_path": request.url.path,
        "title": i18n.gettext("Page not found"), "message": message,
    }, status_code=404, headers=PRIVATE)
