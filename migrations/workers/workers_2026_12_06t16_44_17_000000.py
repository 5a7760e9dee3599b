"""The job table's tenant-leading index and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table

ID = "2026-12-06T16:44:17:000000"
VERSION = "1.38.0"
DESCRIPTION = "job: tenant index and row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="workers", description=DESCRIPTION)

    async def run():
        await apply_tenant_table("job", [("state", "created_at")])

    manager.add_raw(run)
    return manager
