"""DDL that Piccolo's auto-migrations cannot express: composite indexes led by tenant_id and,
on PostgreSQL, forced row-level security. Called from hand-written migrations.
"""

from __future__ import annotations

from collections.abc import Sequence

from kefu.db import current_engine, is_postgres

# Never errors, even on a fresh connection where the setting was never made (STACK-NOTES).
TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint"


def tenant_table_statements(
    table: str, indexes: Sequence[Sequence[str]], *, postgres: bool, rls: bool = True
) -> list[str]:
    statements = [f"CREATE INDEX IF NOT EXISTS {table}_tenant ON {table} (tenant_id)"]
    for columns in indexes:
        name = f"{table}_tenant_{'_'.join(c.split()[0] for c in columns)}"
        cols = ", ".join(["tenant_id", *columns])
        statements.append(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})")
    if postgres and rls:
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})",
        ]
    return statements


async def apply_tenant_table(
    table: str, indexes: Sequence[Sequence[str]] = (), *, rls: bool = True
) -> None:
    engine = current_engine()
    for sql in tenant_table_statements(table, indexes, postgres=is_postgres(engine), rls=rls):
        await engine.run_ddl(sql)


async def run_postgres_only(*statements: str) -> None:
    engine = current_engine()
    if is_postgres(engine):
        for sql in statements:
            await engine.run_ddl(sql)
