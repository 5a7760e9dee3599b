"""Piccolo selects compiled once per shape, for the hottest read paths.

Building and compiling a Piccolo select costs more than the indexed query it runs (make bench:
about 0.8 ms against 0.2 ms for the worklist's page on a 1M-complaint tenant), and converting
its rows costs as much again. A `Compiled` statement is still written with Piccolo: the first
call of each shape builds the query with sentinel values in place of the request's values,
compiles it, and notes which bind parameter holds which value. Later calls of that shape bind
the request's values to the same SQL and read the rows straight from asyncpg, inside the
request's transaction, so row-level security and the tenant scoping in the SQL still apply.

Only PostgreSQL inside a transaction takes the compiled path; on SQLite (the embedded default,
small tenants) the query runs through Piccolo as usual, with the same SQL and the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from datetime import date
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.query import Select
from piccolo.querystring import QueryString

from kefu.db import current_engine


class Sentinel:
    """Stands for one named value while a shape is compiled. Each kind of value has a marker no
    real request can send (a negative id, a date in year 1, a string with a NUL)."""

    _ints = iter(range(-(2**62), -(2**62) + 10_000))
    _days = iter(range(1, 3_650))

    @classmethod
    def int(cls) -> int:
        return next(cls._ints)

    @classmethod
    def day(cls) -> date:
        return date.fromordinal(next(cls._days))

    @staticmethod
    def text(name: str) -> str:
        return f"\x00sentinel:{name}"


class _Shape:
    __slots__ = ("sql", "slots")

    def __init__(self, sql: str, slots: list[tuple[str | None, Any]]) -> None:
        self.sql = sql
        self.slots = slots  # per bind parameter: (value name, None) or (None, constant)

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        return [values[name] if name is not None else const for name, const in self.slots]


class Compiled:
    """One statement shape: `build(values)` returns the Piccolo select for a dict of values;
    `sentinels()` returns a dict with one Sentinel value per name. Make one per shape (one per
    combination of the filters that change the SQL's text)."""

    def __init__(
        self,
        build: Callable[[Mapping[str, Any]], Select[Any]],
        sentinels: Callable[[], dict[str, Any]],
        *,
        wrap: str = "{}",
    ) -> None:
        self._build = build
        self._sentinels = sentinels
        self._wrap = wrap  # e.g. "SELECT count(*) AS n FROM ({}) AS capped"
        self._shape: _Shape | None = None

    def _querystring(self, values: Mapping[str, Any]) -> QueryString:
        inner = self._build(values).querystrings[0]
        return QueryString(self._wrap, inner)

    def _compile(self) -> _Shape:
        marks = self._sentinels()
        by_value = {_hashable(v): name for name, v in marks.items()}
        sql, args = self._querystring(marks).compile_string(engine_type="postgres")
        slots = [(by_value.get(_hashable(a)), None if _hashable(a) in by_value else a) for a in args]
        self._shape = _Shape(sql, slots)
        return self._shape

    async def fetch(self, values: Mapping[str, Any], suffix: str = "") -> list[dict[str, Any]]:
        """The rows for `values`; `suffix` is trusted SQL appended as is (LIMIT/OFFSET integers)."""
        engine = current_engine()
        tx = engine.current_transaction.get()
        if not isinstance(engine, PostgresEngine) or tx is None:
            querystring = self._querystring(values)
            if suffix:
                querystring = QueryString("{}" + suffix, querystring)
            rows: list[dict[str, Any]] = await engine.run_querystring(querystring)
            return rows
        shape = self._shape or self._compile()
        records = await tx.connection.fetch(shape.sql + suffix, *shape.args(values))
        return [dict(r) for r in records]


def _hashable(value: Any) -> Hashable:
    return (type(value).__name__, value) if isinstance(value, Hashable) else (type(value).__name__, id(value))
