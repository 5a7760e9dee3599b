"""The tenant's duty configuration: one row per tenant (unique tenant_id) and, on PostgreSQL,
forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T17:01:36:000000"
VERSION = "1.38.0"
DESCRIPTION = "duty configuration: one per tenant, row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="duties", description=DESCRIPTION)

    async def run():
        await apply_tenant_table("duty_config")
        await current_engine().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS duty_config_tenant_unique ON duty_config (tenant_id)")

    manager.add_raw(run)
    return manager
