"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T20:22:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

UNIQUE = [
    # The sweep running twice, or the month rebuilt while the sweep writes it, writes one
    # snapshot (INSERT … ON CONFLICT DO NOTHING on the month's marker row first).
    "CREATE UNIQUE INDEX IF NOT EXISTS occupancy_snapshot_unique "
    "ON occupancy_snapshot (tenant_id, period, building_id, occupancy)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="deskstats", description=DESCRIPTION)

    async def run():
        await apply_tenant_table("occupancy_snapshot", [])
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
