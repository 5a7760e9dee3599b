"""Invitations: tenant-leading indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table

ID = "2026-12-06T14:06:38:000000"
VERSION = "1.38.0"
DESCRIPTION = "invitations: tenant indexes and row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="identity", description=DESCRIPTION)

    async def run():
        await apply_tenant_table("invitation", [("email",), ("created_at",)])

    manager.add_raw(run)
    return manager
