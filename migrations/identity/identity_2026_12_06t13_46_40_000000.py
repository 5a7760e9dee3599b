"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T13:46:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "identity: tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("identity_provider", []),
    ("external_identity", [("user_id",)]),
]

UNIQUE = [
    # One provider per tenant; one account per subject of an issuer in a tenant.
    "CREATE UNIQUE INDEX IF NOT EXISTS identity_provider_tenant_unique ON identity_provider (tenant_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS external_identity_subject_unique "
    "ON external_identity (tenant_id, issuer, subject)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="identity", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
