"""Database engines and the one way to open a transaction scoped to a tenant.

On PostgreSQL the tenant is set with `set_config('app.tenant_id', ..., true)` inside the
transaction, so row-level security sees it and it resets at commit (it cannot leak through
the pool). On SQLite, write transactions are IMMEDIATE: with the default DEFERRED mode
concurrent read-then-write transactions fail with "database is locked".
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString
from piccolo.table import Table

from kefu.settings import DatabaseUrl, get_settings

T = TypeVar("T")


def build_engine(url: DatabaseUrl) -> Engine:
    if url.is_postgres:
        # Every tenant shares one prepared statement per connection; a generic plan sized for
        # an average tenant read all rows of a 1M-complaint tenant (make bench): plan per call.
        settings = {"plan_cache_mode": "force_custom_plan"}
        return PostgresEngine(config={"dsn": url.dsn, "server_settings": settings}, log_queries=False)
    assert url.path is not None
    url.path.parent.mkdir(parents=True, exist_ok=True)
    # sqlite3's own busy timeout waits for a writer instead of failing at once.
    return SQLiteEngine(path=str(url.path), timeout=30)


async def _rollback_only(connection: Any) -> None:
    """The pool's reset on release. asyncpg rolls back an open transaction before calling it;
    its default reset then also runs `RESET ALL; UNLISTEN *; CLOSE ALL; advisory unlock`, one
    more round trip per request. kefu keeps nothing in a session: the tenant is set with
    set_config(…, true) and advisory locks are transaction-level, so there is nothing to reset."""


async def start_db_pool(engine: Engine, *, min_size: int, max_size: int) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=min_size, max_size=max_size, reset=_rollback_only)


def engine_from_settings() -> Engine:
    settings = get_settings()
    # `kefu migrate` runs as the owner role; everything else as the app role.
    if os.environ.get("KEFU_DB_ROLE") == "migrate":
        return build_engine(settings.migrate_database)
    return build_engine(settings.database)


_engine: Engine | None = None
_PG_SQL: dict[str, str] = {}  # a raw statement's template -> its PostgreSQL text ($1, $2 …)


async def fetch_raw(table: type[Table], template: str, *values: Any) -> list[dict[str, Any]]:
    """The rows of `table.raw(template, *values)`. On PostgreSQL the template is compiled once
    (the placeholders of a template never move) and run straight on asyncpg: in the open
    transaction if there is one, else on a pooled connection. For the reads every request
    makes before its transaction (the signed-in user); `values` are plain values (no nested
    QueryStrings). SQLite, or no pool yet: Piccolo's own raw query, same SQL, same rows."""
    engine = current_engine()
    pool = getattr(engine, "pool", None)
    if not isinstance(engine, PostgresEngine) or pool is None:
        rows: list[dict[str, Any]] = await table.raw(template, *values)
        return rows
    sql = _PG_SQL.get(template)
    if sql is None:
        sql = _PG_SQL[template] = QueryString(template, *values).compile_string(engine_type="postgres")[0]
    tx = engine.current_transaction.get()
    held = _held.get()
    if tx is not None:
        records = await tx.connection.fetch(sql, *values)
    elif held is not None:
        records = await held.fetch(sql, *values)
    else:
        async with pool.acquire() as connection:
            records = await connection.fetch(sql, *values)
    return [dict(r) for r in records]


# A pooled connection held for a few fetch_raw calls in a row, outside any transaction.
_held: ContextVar[Any] = ContextVar("kefu_held_connection", default=None)


@asynccontextmanager
async def one_connection() -> AsyncIterator[None]:
    """fetch_raw calls inside share one pooled connection (each still its own implicit
    transaction): one pool acquire and release for the lot (the survey answer page's two
    calls). Elsewhere, or inside a transaction, nothing changes."""
    engine = current_engine()
    pool = getattr(engine, "pool", None)
    if not isinstance(engine, PostgresEngine) or pool is None or engine.current_transaction.get() is not None:
        yield
        return
    async with pool.acquire() as connection:
        token = _held.set(connection)
        try:
            yield
        finally:
            _held.reset(token)


def current_engine() -> Engine:
    """The engine of piccolo_conf (PICCOLO_CONF), the one every table uses; found once."""
    global _engine
    if _engine is None:
        found = engine_finder()
        if found is None:
            raise RuntimeError("no Piccolo engine: PICCOLO_CONF names no module with a DB")
        _engine = found
    return _engine


def is_unique_violation(exc: BaseException) -> bool:
    """A unique constraint refused the write: asyncpg's UniqueViolationError (PostgreSQL) or
    sqlite3.IntegrityError, told apart without importing either driver; both name the unique
    constraint in their message."""
    return type(exc).__name__ in ("UniqueViolationError", "IntegrityError") and "unique" in str(exc).lower()


def is_postgres(engine: Engine | None = None) -> bool:
    return isinstance(engine or current_engine(), PostgresEngine)


# The tenant of the open transaction: a nested call may join it, never switch it.
_tx_tenant: ContextVar[int | None] = ContextVar("kefu_tx_tenant", default=None)
# Whether the outermost open transaction writes (SQLite has one writer: a second one waits for it).
_tx_writes: ContextVar[bool] = ContextVar("kefu_tx_writes", default=False)


class TenantSwitchError(RuntimeError):
    pass


# Work to start only once the outermost transaction has committed (e.g. nudging a worker to
# deliver a notice the transaction wrote: before commit the worker would not see the row).
_after_commit: ContextVar[list[Callable[[], Awaitable[None]]] | None] = ContextVar(
    "kefu_after_commit", default=None
)
log = logging.getLogger("kefu.db")


def after_commit(callback: Callable[[], Awaitable[None]]) -> bool:
    """Run `callback` after the open transaction commits; False if no transaction is open."""
    pending = _after_commit.get()
    if pending is None or current_engine().current_transaction.get() is None:
        return False
    pending.append(callback)
    return True


async def _run_after_commit(callbacks: list[Callable[[], Awaitable[None]]]) -> None:
    for callback in callbacks:
        try:
            await callback()
        except Exception:  # the commit stands; what failed here is only a nudge
            log.warning("after-commit callback failed", exc_info=True)


@asynccontextmanager
async def transaction(tenant_id: int | None = None, *, write: bool = True) -> AsyncIterator[Any]:
    """Open a transaction, or a savepoint inside the open one; on PostgreSQL make `tenant_id`
    visible to RLS.

    The outermost call owns the transaction: it commits or rolls back as a whole. A nested
    call is a savepoint, so a service is atomic on its own whoever calls it: when it fails
    half-way its own writes are undone and the caller's survive (the caller may answer 422
    and commit the rest). A nested call may join the open tenant, never switch it.
    """
    engine = current_engine()
    outer_tx = engine.current_transaction.get()
    if outer_tx is not None:
        outer = _tx_tenant.get()
        if tenant_id is not None and outer is not None and outer != tenant_id:
            raise TenantSwitchError(f"transaction for tenant {outer} cannot join tenant {tenant_id}")
        async with _savepoint(outer_tx):
            yield outer_tx
        return
    tx: Any
    if isinstance(engine, SQLiteEngine):
        tx = engine.transaction(
            transaction_type=TransactionType.immediate if write else TransactionType.deferred
        )
    elif tenant_id is not None:
        tx = _TenantTransaction(engine, tenant_id)  # type: ignore[arg-type]
    else:
        tx = engine.transaction()
    callbacks: list[Callable[[], Awaitable[None]]] = []
    token = _tx_tenant.set(tenant_id)
    writes_token = _tx_writes.set(write)
    pending_token = _after_commit.set(callbacks)
    try:
        async with tx as active:
            yield active
    finally:
        _tx_tenant.reset(token)
        _tx_writes.reset(writes_token)
        _after_commit.reset(pending_token)
    if callbacks:
        await _run_after_commit(callbacks)


@asynccontextmanager
async def _savepoint(tx: Any) -> AsyncIterator[None]:
    savepoint = await tx.savepoint()
    try:
        yield
    except BaseException:
        await savepoint.rollback_to()
        raise
    await savepoint.release()


class _TenantTransaction(PostgresTransaction):
    """A PostgreSQL transaction whose BEGIN carries the tenant: one round trip instead of two
    on every tenant request. asyncpg's own Transaction object would send BEGIN alone, so this
    one sends BEGIN, COMMIT and ROLLBACK itself (savepoints never used that object). Should
    COMMIT fail, the pool's release still rolls back what is open on the connection."""

    __slots__ = ("tenant_id",)

    def __init__(self, engine: PostgresEngine, tenant_id: int) -> None:
        super().__init__(engine)
        self.tenant_id = int(tenant_id)  # an int, so it can be written into the statement

    async def begin(self) -> None:
        await self.connection.execute(begin_for_tenant(self.tenant_id))

    async def commit(self) -> None:
        await self.connection.execute("COMMIT")
        self._committed = True

    async def rollback(self) -> None:
        await self.connection.execute("ROLLBACK")
        self._rolled_back = True


def begin_for_tenant(tenant_id: int) -> str:
    """BEGIN with the tenant set for RLS until the transaction ends (`true`: local to it). The
    id is an int, so it can be written into the statement (one simple-protocol round trip)."""
    return f"BEGIN; SELECT set_config('app.tenant_id', '{int(tenant_id)}', true)"


async def in_transaction() -> bool:
    return current_engine().current_transaction.get() is not None


def in_write_transaction() -> bool:
    return current_engine().current_transaction.get() is not None and _tx_writes.get()


async def outside_transaction(work: Callable[[], Awaitable[T]]) -> T:
    """`work()` as if no transaction were open: its own task, connection and commit. For what a
    long read reports while its transaction is still open (a large export's progress). Not
    inside a write transaction on SQLite: its one writer would wait for the caller."""

    async def alone() -> T:
        # A task runs in a copy of the context: these reset the copy, not the caller's.
        current_engine().current_transaction.set(None)
        _tx_tenant.set(None)
        _tx_writes.set(False)
        _after_commit.set(None)
        return await work()

    return await asyncio.create_task(alone())
