"""The desk search's name lookup (kefu.customers.queries.desk): a name typed from its start is
LIKE 'q%', which a plain btree index serves only in the C collation; text_pattern_ops serves it
in any. PostgreSQL only (SQLite's LIKE ignores case and uses no index either way)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import run_postgres_only

ID = "2026-12-06T14:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "name prefix index for the desk search"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="customers", description=DESCRIPTION)

    async def run():
        await run_postgres_only(
            "CREATE INDEX IF NOT EXISTS customer_tenant_name_prefix "
            "ON customer (tenant_id, name varchar_pattern_ops)"
        )

    manager.add_raw(run)
    return manager
