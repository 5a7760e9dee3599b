"""Server-side sessions whose id is replaced at sign-in (no session fixation)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Protocol, cast
from weakref import WeakValueDictionary

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.file import FileStore
from litestar.stores.redis import RedisStore
from litestar.types import Empty
from litestar.utils.dataclass import extract_dataclass_items

from kefu.core.requests import scope_extras

ROTATE_KEY = "kefu_rotate_session"
# The user's session generation when the session was made: a password reset raises the user's,
# and a session of an older generation is signed out (kefu.tenancy.context.load_user).
GENERATION_KEY = "gen"
NEW_ID_KEY = "kefu_new_session_id"
LOADED_KEY = "kefu_session_loaded"


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    scope_extras(connection.scope)[ROTATE_KEY] = True


class RotatingSessionBackend(ServerSideSessionBackend):
    """Writes a session back only when the request changed it. Litestar's backend writes every
    response's session: a request that read the session before a sign-out in another tab (an
    htmx fragment still loading) wrote it back after, and the user was signed in again.
    Expiry slides on reads instead (renew_on_access, set in kefu.app). A changed session is
    written only over one still stored (its store's set_if_present; kefu.app uses this module's
    stores)."""

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        loaded = await super().load_from_connection(connection)
        if loaded:
            scope_extras(connection.scope)[LOADED_KEY] = self.serialize_data(loaded, connection.scope)
        return loaded

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
        elif scope_session is not Empty and LOADED_KEY in scope:
            if scope[LOADED_KEY] == self.serialize_data(scope_session, connection.scope):
                self._refresh_cookie(message, connection)
                return
            store = cast(ReplacingStore, self.config.get_store_from_app(connection.scope["app"]))
            data = self.serialize_data(scope_session, connection.scope)
            if await store.set_if_present(self.get_session_id(connection), data, self.config.max_age):
                self._refresh_cookie(message, connection)
                return
            scope_session = Empty  # ended while this request ran: a change does not revive it
        await super().store_in_message(scope_session, message, connection)

    def _refresh_cookie(self, message: Any, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        # The browser's cookie slides with the store's expiry; if the session was ended meanwhile,
        # the id it keeps leads nowhere.
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        cookie = Cookie(value=self.get_session_id(connection), key=self.config.key, **params)
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


class ReplacingStore(Protocol):
    async def set_if_present(self, key: str, value: bytes, expires_in: int) -> bool: ...


class SessionRedisStore(RedisStore):
    """Litestar's RedisStore, and a write that lands only over a session still stored: one
    `SET … XX`, so a sign-out can never fall between a check and the write."""

    async def set_if_present(self, key: str, value: bytes, expires_in: int) -> bool:
        return bool(await self._redis.set(self._make_key(key), value, ex=expires_in, xx=True))


class SessionFileStore(FileStore):
    """Litestar's FileStore (the sessions without Redis), each key's reads that renew, writes and
    deletes one at a time. Its renewing get reads the file and writes it back across an await:
    a sign-out's delete in between was undone, the session back in the store (179 of 300 tries).
    The locks are this process's: the embedded setup serves from one process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        if not renew_for:
            return await super().get(key)
        async with self._lock(key):
            data = await super().get(key)
            if data is not None:  # sessions are always stored with an expiry
                await super().set(key, data, expires_in=renew_for)
            return data

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        async with self._lock(key):
            await super().set(key, value, expires_in=expires_in)

    async def delete(self, key: str) -> None:
        async with self._lock(key):
            await super().delete(key)

    async def set_if_present(self, key: str, value: bytes, expires_in: int) -> bool:
        """Write the value only over one still stored: False if the key was deleted (a sign-out)."""
        async with self._lock(key):
            if not await super().exists(key):
                return False
            await super().set(key, value, expires_in=expires_in)
            return True


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
