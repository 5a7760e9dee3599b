"""Tenant-leading indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-11-28T21:43:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes and row-level security"

TENANT_TABLES = [("api_token", [("user_id",)])]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="tenancy", description=DESCRIPTION)

    async def run():
        # Membership is platform-level (a user's switcher lists it across tenants): no RLS.
        await apply_tenant_table("membership", [("user_id",)], rls=False)
        await current_engine().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS membership_tenant_user_unique "
            "ON membership (tenant_id, user_id)"
        )
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)

    manager.add_raw(run)
    return manager
