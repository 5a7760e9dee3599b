"""Per-request plumbing: request id, the signed-in user, the language."""

from __future__ import annotations

import re
import uuid

from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send

from kefu import i18n
from kefu.core.audit import request_id_var
from kefu.settings import get_settings
from kefu.tenancy.queries import signed_in

LANG_COOKIE = "kefu_lang"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        scope["kefu_request_id"] = rid  # type: ignore[typeddict-unknown-key]
        request_id_var.set(rid)
        # Until a user is known, the language comes from the cookie (error pages included).
        cookies = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
        match = re.search(rf"{LANG_COOKIE}=(zh_CN|en)", cookies)
        i18n.set_locale(match.group(1) if match else get_settings().default_locale)

        async def send_with_id(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        await app(scope, receive, send_with_id)

    return middleware


async def load_user(request: Request) -> None:
    """before_request: put the signed-in user and their tenants in the scope."""
    if "session" not in request.scope:
        return
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        request.scope["kefu_user"] = None  # type: ignore[typeddict-unknown-key]
        return
    found = await signed_in(user_id)  # one round trip: the user, their tenants and memberships
    request.scope["kefu_user"] = found.user  # type: ignore[typeddict-unknown-key]
    if found.user is None:
        request.clear_session()
        return
    i18n.set_locale(found.user.locale)
    request.scope["kefu_memberships"] = found.memberships  # type: ignore[typeddict-unknown-key]
    request.scope["kefu_signed_in"] = found  # type: ignore[typeddict-unknown-key]
