"""Delivery settings: one row per tenant, tenant-led, with row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T13:45:16:000000"
VERSION = "1.38.0"
DESCRIPTION = "delivery settings: one per tenant, row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def run():
        await apply_tenant_table("delivery_setting", [])
        await current_engine().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS delivery_setting_one_per_tenant ON delivery_setting (tenant_id)"
        )

    manager.add_raw(run)
    return manager
