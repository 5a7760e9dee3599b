"""Server-side sessions whose id is replaced at sign-in (no session fixation)."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Empty

from kefu.core.requests import scope_extras

ROTATE_KEY = "kefu_rotate_session"
# The user's session generation when the session was made: a password reset raises the user's,
# and a session of an older generation is signed out (kefu.tenancy.context.load_user).
GENERATION_KEY = "gen"
NEW_ID_KEY = "kefu_new_session_id"


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    scope_extras(connection.scope)[ROTATE_KEY] = True


class RotatingSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        new_id: str | None = scope_extras(connection.scope).get(NEW_ID_KEY)
        return new_id or super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: Any, message: Any, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        scope = scope_extras(connection.scope)
        if scope_session is not Empty and not scope_session:
            # Nothing to keep. A visitor without a session (a resident on a public page, a bot)
            # gets none: no store write, no cookie. One that had a session is signed out of it.
            old_id = connection.cookies.get(self.config.key)
            if not old_id or old_id == "null":
                return
            scope_session = Empty
        if scope.get(ROTATE_KEY) and not scope.get(NEW_ID_KEY):
            old_id = connection.cookies.get(self.config.key)
            if old_id and old_id != "null":
                await self.delete(old_id, store=self.config.get_store_from_app(connection.scope["app"]))
            scope[NEW_ID_KEY] = self.generate_session_id()
        await super().store_in_message(scope_session, message, connection)


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
