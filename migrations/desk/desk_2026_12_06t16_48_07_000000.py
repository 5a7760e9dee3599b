"""Tenant-leading indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table

ID = "2026-12-06T16:48:07:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes and row-level security"

TENANT_TABLES = [
    # The lists filter a state, newest first; the desk's day reads the open ones.
    ("service_order", [("state", "id"), ("unit_id",)]),
    ("renovation", [("state", "id"), ("unit_id",)]),
    ("inspection", [("renovation_id",)]),
    # The recurring questions count a topic over the last days.
    ("enquiry", [("state", "id"), ("topic", "created_at"), ("created_at",)]),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="desk", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)

    manager.add_raw(run)
    return manager
