"""Tenant-leading indexes, the one-sign-up-per-phone key and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T16:57:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    # The staff list by state, newest first; the public page reads what is published.
    ("bulletin", [("state", "shown_from")]),
    ("signup", [("bulletin_id",)]),
]

UNIQUE = [
    "CREATE UNIQUE INDEX IF NOT EXISTS signup_phone_unique ON signup (tenant_id, bulletin_id, phone)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="bulletins", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
