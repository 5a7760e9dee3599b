"""Query capture and EXPLAIN ANALYZE, as the app role with the tenant set (so the plans are
the ones row-level security produces)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg


@dataclass
class Captured:
    sql: str
    args: list[Any]
    ms: float = 0.0


class StopCapture(Exception):
    """Raised by a capture that only wanted the query, before it runs (nothing is changed)."""


@contextmanager
def capture(engine: Any, match: Callable[[str], bool], *, stop: bool = False) -> Iterator[list[Captured]]:
    """Record the SQL of every statement `match` accepts that kefu sends through asyncpg's
    `fetch`: Piccolo's queries and the statements kefu.core.compiled binds (stop=True: raise
    StopCapture instead of running the first one). `engine` is kept for the callers' sake."""
    found: list[Captured] = []
    original = asyncpg.connection.Connection.fetch

    async def recording(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        if not match(query):
            return await original(self, query, *args, **kwargs)
        q = Captured(query, list(args))
        found.append(q)
        if stop:
            raise StopCapture()
        started = time.perf_counter()
        try:
            return await original(self, query, *args, **kwargs)
        finally:
            q.ms = (time.perf_counter() - started) * 1000

    asyncpg.connection.Connection.fetch = recording  # type: ignore[method-assign]
    try:
        yield found
    finally:
        asyncpg.connection.Connection.fetch = original  # type: ignore[method-assign]


@dataclass
class PlanSummary:
    top: str
    index_used: bool
    indexes: list[str]
    nodes: list[str]
    execution_ms: float
    rows: int
    text: list[str] = field(default_factory=list)

    def short(self) -> str:
        idx = ", ".join(self.indexes) if self.indexes else "no index"
        return f"{self.top} · {idx} · {self.execution_ms:.2f} ms · {self.rows} rows"

    def as_dict(self) -> dict[str, Any]:
        return {
            "top_node": self.top, "index_used": self.index_used, "indexes": self.indexes,
            "nodes": self.nodes, "execution_ms": round(self.execution_ms, 2), "rows": self.rows,
        }


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _label(node: dict[str, Any]) -> str:
    label = node["Node Type"]
    if node.get("Index Name"):
        label += f" using {node['Index Name']}"
    if node.get("Sort Key") and "Sort" in label:
        label += f" ({', '.join(node['Sort Key'])})"
    return label


async def tenant_tx(conn: asyncpg.Connection, tenant_id: int, *, custom: bool = False) -> None:
    """BEGIN and the tenant in one round trip, as the ceiling does (custom=True: plan every
    statement for its own values, as a one-off query would be)."""
    mode = "SET LOCAL plan_cache_mode = force_custom_plan; " if custom else ""
    await conn.execute(f"BEGIN; {mode}SELECT set_config('app.tenant_id', '{int(tenant_id)}', true)")


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text.replace("'", "''") + "'"


def _summary(raw: Any, text: list[str]) -> PlanSummary:
    doc = json.loads(raw) if isinstance(raw, str) else raw
    plan = doc[0]["Plan"]
    nodes = list(_walk(plan))
    indexes = sorted({n["Index Name"] for n in nodes if n.get("Index Name")})
    return PlanSummary(
        top=_label(plan), index_used=bool(indexes), indexes=indexes,
        nodes=[_label(n) for n in nodes], execution_ms=doc[0].get("Execution Time", 0.0),
        rows=int(plan.get("Actual Rows", 0)), text=text,
    )


async def explain(conn: asyncpg.Connection, tenant_id: int, q: Captured, *, generic: bool = False) -> PlanSummary:
    """EXPLAIN ANALYZE as planned for the statement's values (custom), or as the generic plan
    a prepared statement switches to once PostgreSQL finds it cheaper (plan_cache_mode=auto
    tries five custom plans first; asyncpg prepares and caches every statement)."""
    await tenant_tx(conn, tenant_id)
    try:
        if generic:
            await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            await conn.execute(f"PREPARE bench_generic AS {q.sql}")
            call = f"EXECUTE bench_generic({', '.join(_literal(a) for a in q.args)})"
            try:
                raw = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {call}")
                text = [r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {call}")]
            finally:
                await conn.execute("DEALLOCATE bench_generic")
        else:
            raw = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {q.sql}", *q.args)
            text = [r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {q.sql}", *q.args)]
    finally:
        await conn.execute("ROLLBACK")
    return _summary(raw, text)


async def time_raw(
    conn: asyncpg.Connection, tenant_id: int, q: Captured, repeat: int
) -> tuple[float, float, int]:
    """Medians (ms) of the whole tenant transaction (BEGIN+set, query, COMMIT) and of the query
    alone, and the rows it returned; planned for its own values every time (the query's own
    cost). One unmeasured run first."""
    whole, alone, rows = [], [], 0
    for i in range(repeat + 1):
        started = time.perf_counter()
        await tenant_tx(conn, tenant_id, custom=True)
        q_started = time.perf_counter()
        result = await conn.fetch(q.sql, *q.args)
        q_took = time.perf_counter() - q_started
        await conn.execute("COMMIT")
        took = time.perf_counter() - started
        rows = len(result)
        if i:
            whole.append(took * 1000)
            alone.append(q_took * 1000)
    return statistics.median(whole), statistics.median(alone), rows
