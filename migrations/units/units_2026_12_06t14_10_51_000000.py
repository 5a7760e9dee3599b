"""Move-in and move-out: tenant-leading indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table

ID = "2026-12-06T14:10:51:000000"
VERSION = "1.38.0"
DESCRIPTION = "move tables: tenant indexes and row-level security"

TENANT_TABLES = [
    ("move", [("unit_id", "state")]),
    ("move_item", [("move_id",)]),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="units", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)

    manager.add_raw(run)
    return manager
