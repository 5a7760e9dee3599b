"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T13:59:24:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("building", [("name",)]),
    # The desk finds a unit by its whole address (address_key), by building and room ("3栋1501")
    # or by room alone ("1501"); the list filters by building and orders within it.
    ("unit", [("building_id", "room"), ("room",), ("occupancy",), ("use",)]),
    ("occupancy_change", [("unit_id", "id")]),
    ("residency", [("unit_id",), ("customer_id",), ("phone_tail",)]),
    ("unit_import", [("created_at",)]),
]

UNIQUE = [
    "CREATE UNIQUE INDEX IF NOT EXISTS building_code_unique ON building (tenant_id, code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS unit_address_unique ON unit (tenant_id, address_key)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="units", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
