"""What every table import shares after the upload reader (kefu.core.uploads): the stored
preview's rows and errors, the preview page's rows with each row's translated problems, and
the bulk INSERT a clean file is imported with (customers, units).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from piccolo.table import Table

from kefu import i18n

PREVIEW_ROWS = 500  # rows shown on a preview page; every error is counted regardless
BATCH = 500


def loaded(value: Any) -> Any:
    """A JSON column's value (Piccolo returns text unless asked otherwise)."""
    return json.loads(value) if isinstance(value, str) else value


def errors_by_row(errors: list[dict[str, Any]]) -> dict[int, list[dict[str, str]]]:
    """Stored errors ({"row", "field", "message", "vars"}) translated, by row."""
    by_row: dict[int, list[dict[str, str]]] = {}
    for e in errors:
        text = i18n.gettext(e["message"], **e.get("vars", {})) if e.get("vars") else i18n.gettext(e["message"])
        by_row.setdefault(e["row"], []).append({"field": e["field"], "text": text})
    return by_row


def preview(rows: list[dict[str, Any]], errors: list[dict[str, Any]]) -> dict[str, Any]:
    """What a preview page shows: the rows with errors (or the first rows of a clean file),
    each row's problems, the columns, and how many rows are not shown."""
    by_row = errors_by_row(errors)
    shown = [r for r in rows if r["row"] in by_row][:PREVIEW_ROWS] if by_row else rows[:PREVIEW_ROWS]
    return {
        "rows": shown, "row_errors": by_row,
        "columns": list(rows[0]["values"]) if rows else [],
        "hidden": max(0, (len(by_row) if by_row else len(rows)) - len(shown)),
    }


async def insert_rows(table: type[Table], names: list[str], values: list[list[Any]]) -> list[int]:
    """One parameterised INSERT … VALUES of these rows (at most BATCH), their new ids in order.
    Piccolo's own multi-row insert builds its SQL about six times slower (20,000 rows: ~20 s
    on SQLite)."""
    row = "(" + ", ".join("{}" for _ in names) + ")"
    sql = (f"INSERT INTO {table._meta.tablename} ({', '.join(names)}) VALUES "  # noqa: S608 - names are ours
           + ", ".join(row for _ in values) + " RETURNING id")
    made = await table.raw(sql, *(v for line in values for v in line))
    # One INSERT … VALUES numbers its rows in order on both engines.
    return sorted(r["id"] for r in made)


# An upload's rows are the customers' or units' own data, held only so the preview can be
# checked and confirmed: past the job retention they are dropped (the record of the import,
# its file name and counts, stays), and a preview left that long is discarded.
_FORGET = (
    "UPDATE {table} SET rows = '[]', errors = '[]', "
    "state = CASE WHEN state = 'preview' THEN 'discarded' ELSE state END "
    "WHERE tenant_id = {{}} AND created_at < {{}} AND CAST(rows AS TEXT) <> '[]' RETURNING id"
)


async def forget_rows(table: type[Table], tenant_ids: list[int], before: datetime) -> int:
    """Drop the stored rows of the imports made before `before`, tenant by tenant (each in its
    own write transaction, under its row-level security); how many imports lost theirs."""
    from kefu.db import transaction

    sql = _FORGET.format(table=table._meta.tablename)
    forgotten = 0
    for tenant_id in tenant_ids:
        async with transaction(tenant_id, write=True):
            forgotten += len(await table.raw(sql, tenant_id, before))
    return forgotten
