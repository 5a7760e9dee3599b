"""Security headers on every answer, set once here.

- Content-Security-Policy: scripts, styles, images and fonts only from the app itself (no inline
  script or style: what templates did inline lives in static/js/kefu.js and static/css/),
  forms post only to the app, no framing (`frame-ancestors 'none'`, and X-Frame-Options for old
  browsers), no plugins.
- X-Content-Type-Options: nosniff; Referrer-Policy: same-origin (a page that sets its own, like
  the public pages' no-referrer, keeps it).
- Strict-Transport-Security in production (KEFU_ENV=production serves behind HTTPS).
- Cache-Control: no-store on everything a signed-in user or an API token receives (pages with
  personal data, exports), unless the handler chose its own; static files stay cacheable.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from litestar.types import BeforeMessageSendHookHandler, Message, Scope

_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
)
CSP = "; ".join(_DIRECTIVES)
# Origins a page's forms may also lead to (the scope key a handler fills through
# allow_form_target): a browser applies form-action to the redirects a form's answer makes, so
# the "Sign in with <provider>" button, whose answer redirects to the tenant's provider, and the
# sign-out button of a session made there (RP-initiated logout) need that provider's origin.
FORM_TARGETS_KEY = "kefu_form_targets"
LOGOUT_URL_KEY = "logout_url"  # in the session: the provider's logout URL, made at sign-in
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, or None (nothing that could break the header)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if _ORIGIN.match(origin) else None


def allow_form_target(scope: Scope, url: str) -> None:
    """Let this page's forms lead to `url`'s origin (see FORM_TARGETS_KEY)."""
    origin = origin_of(url)
    if origin:
        extras: dict[str, Any] = scope  # type: ignore[assignment]
        extras.setdefault(FORM_TARGETS_KEY, set()).add(origin)


def _csp(scope: Scope) -> str:
    extras: dict[str, Any] = scope  # type: ignore[assignment]
    targets = set(extras.get(FORM_TARGETS_KEY, ()))
    session = extras.get("session")
    if isinstance(session, dict) and isinstance(session.get(LOGOUT_URL_KEY), str):
        targets.add(origin_of(session[LOGOUT_URL_KEY]) or "")
    targets.discard("")
    if not targets:
        return CSP
    extra = " ".join(sorted(targets))
    return "; ".join(f"{d} {extra}" if d.startswith("form-action") else d for d in _DIRECTIVES)
HSTS = "max-age=31536000; includeSubDomains"
STATIC_PREFIX = "/static/"


def _has(headers: list[tuple[bytes, bytes]], name: bytes) -> bool:
    return any(k.lower() == name for k, _ in headers)


def security_headers(production: bool) -> BeforeMessageSendHookHandler:
    """The app's before_send hook: it sees every answer, the router's own 404 and 405 included
    (a middleware sees only what reaches a route)."""

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        path: str = scope.get("path", "")
        extras: dict[str, Any] = scope  # type: ignore[assignment]
        headers = list(message.get("headers", []))
        wanted = [
            (b"content-security-policy", _csp(scope).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]
        if production:
            wanted.append((b"strict-transport-security", HSTS.encode()))
        signed_in = extras.get("kefu_user") is not None or path.startswith("/api/")
        if signed_in and not path.startswith(STATIC_PREFIX):
            wanted.append((b"cache-control", b"no-store"))
        # A header the handler set itself is kept (the public pages' no-referrer, a download's
        # own cache rule).
        message["headers"] = [*headers, *((k, v) for k, v in wanted if not _has(headers, k))]

    return before_send
