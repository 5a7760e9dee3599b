"""The request gate: what is refused before anything parses a request. A URL-encoded form that
is too large (413) or has too many fields (400), a JSON body nested too deeply (400), an id in
the path that no row can have (the 404 of an unknown id). The fields themselves are checked by
kefu.core.forms.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from kefu import i18n
from kefu.core.errors import BadInput

# A long questionnaire in the template editor posts ~25 fields per question card.
MAX_FIELDS = 5000
# A URL-encoded form (every page's form but uploads): the longest, the template editor's, posts
# well under 1 MB. An 8 MB body of 900,000 fields held the server 3.3 s while it was parsed.
MAX_FORM_BODY = 2 * 1024 * 1024

# --- ids in paths, JSON bodies -------------------------------------------------------------

# Every id column is a PostgreSQL integer (SERIAL): a number past it cannot name a row, and
# asyncpg refuses to send it (OverflowError) where SQLite would only find nothing.
MAX_ID = 2**31 - 1
# Nesting of a JSON body: the API's deepest shape is two levels; msgspec recurses per level.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def id_in_range(value: int) -> bool:
    return -MAX_ID <= value <= MAX_ID


async def bounded_path_ids(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """An app-wide guard: an integer path parameter no row can have is the 404 of an unknown id
    (before the route's own guards, its lookups and the database driver see it). Async: Litestar
    runs a sync guard in a worker thread, a thread hop on every request (make bench)."""
    for value in connection.path_params.values():
        if isinstance(value, int) and not isinstance(value, bool) and not id_in_range(value):
            raise NotFoundException()


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `body`'s brackets nest deeper than `limit` (or do not balance), without decoding
    it: strings are dropped, then each pass removes the innermost empty pairs."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKET)
    if brackets.count(b"[") + brackets.count(b"{") <= limit:
        return False
    for _ in range(limit):
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if shorter == brackets:
            break
        brackets = shorter
    return bool(brackets)


async def check_json_body(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Refuse (400) a JSON body nested deeper than MAX_JSON_DEPTH before anything decodes it
    (a body of 100,000 "[" makes the decoder recurse until it fails)."""
    if not isinstance(connection, Request) or connection.method in ("GET", "HEAD", "OPTIONS"):
        return
    if "json" not in connection.headers.get("content-type", "").lower():
        return
    body = await connection.body()
    if json_depth_exceeds(body):
        raise BadInput(detail=i18n.gettext("The request body is nested too deeply."))


def _too_large() -> BadInput:
    return BadInput(detail=i18n.gettext("The form is too large."), status_code=413)


async def check_form_body(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Refuse a URL-encoded body that is too large (413) or has too many fields (400) before
    anything parses it: its size from Content-Length before it is read, its fields counted
    at C speed in the raw bytes (one '&' between two fields). Multipart bodies are counted as
    they stream, by Litestar's part limit (the app's multipart_form_part_limit)."""
    if not isinstance(connection, Request) or connection.method in ("GET", "HEAD", "OPTIONS"):
        return
    if "application/x-www-form-urlencoded" not in connection.headers.get("content-type", "").lower():
        return
    length = connection.headers.get("content-length", "")
    if length.isascii() and length.isdigit() and int(length) > MAX_FORM_BODY:
        raise _too_large()
    body = await connection.body()
    if len(body) > MAX_FORM_BODY:
        raise _too_large()
    if body.count(b"&") >= MAX_FIELDS:
        raise BadInput(detail=i18n.gettext("The form has too many fields."))


def form_gate_middleware(app: ASGIApp) -> ASGIApp:
    """check_form_body for every route, before Litestar's CSRF middleware, which parses a
    form that carries its token in the body (a plain HTML post) before any handler runs."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            await check_form_body(scope["litestar_app"].request_class(scope=scope, receive=receive))
        await app(scope, receive, send)

    return middleware
