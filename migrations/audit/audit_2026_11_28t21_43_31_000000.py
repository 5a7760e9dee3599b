"""Tenant-leading indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table

ID = "2026-11-28T21:43:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes and row-level security"

TENANT_TABLES = [("audit_event", [("created_at",), ("action",), ("object_type", "object_id")])]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)

    manager.add_raw(run)
    return manager
