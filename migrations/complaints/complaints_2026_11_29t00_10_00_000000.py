"""The worklist orders by (next_due, id): an index with the tie-breaker makes the page a plain
ordered index scan instead of an incremental sort of the first next_due group (make bench)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.db import current_engine

ID = "2026-11-29T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "worklist index with its tie-breaker"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)

    async def run():
        engine = current_engine()
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS complaint_tenant_next_due_id "
            "ON complaint (tenant_id, next_due, id)"
        )
        await engine.run_ddl("DROP INDEX IF EXISTS complaint_tenant_next_due")

    manager.add_raw(run)
    return manager
