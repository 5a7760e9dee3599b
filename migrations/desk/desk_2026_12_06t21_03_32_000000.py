"""A public order's secret link is unique within its tenant (null for the desk's orders)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.db import current_engine

ID = "2026-12-06T21:03:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique public order links"

UNIQUE = [
    "CREATE UNIQUE INDEX IF NOT EXISTS service_order_public_token_unique "
    "ON service_order (tenant_id, public_token)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="desk", description=DESCRIPTION)

    async def run():
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
