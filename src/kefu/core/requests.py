"""Per-request plumbing: request id and the language (the signed-in user is loaded by the
tenancy module, `kefu.tenancy.context.load_user`)."""

from __future__ import annotations

import re
import uuid
from typing import Any, cast

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from kefu import i18n
from kefu.core.audit import request_id_var
from kefu.settings import get_settings

LANG_COOKIE = "kefu_lang"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def scope_extras(scope: Scope) -> dict[str, Any]:
    """The scope with kefu's own keys (the request id, the signed-in user, the tenant context):
    Litestar types the scope as a TypedDict of the ASGI keys, which names none of them."""
    return cast("dict[str, Any]", scope)


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        scope_extras(scope)["kefu_request_id"] = rid
        request_id_var.set(rid)
        # Until a user is known, the language comes from the cookie (error pages included).
        cookies = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
        match = re.search(rf"{LANG_COOKIE}=(zh_CN|en)", cookies)
        i18n.set_locale(match.group(1) if match else get_settings().default_locale)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        await app(scope, receive, send_with_id)

    return middleware

