"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-11-29T00:36:44:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("customer", [("kind", "id"), ("phone",), ("email",), ("building",), ("household",), ("name",)]),
    ("customer_tag", [("customer_id",)]),
    ("customer_import", [("created_at",)]),
]

UNIQUE_AND_PARTIAL = [
    # A policy or owner number names one customer (empty ones are many).
    "CREATE UNIQUE INDEX IF NOT EXISTS customer_external_ref_unique ON customer (tenant_id, external_ref) "
    "WHERE external_ref <> ''",
    "CREATE UNIQUE INDEX IF NOT EXISTS customer_tag_unique ON customer_tag (tenant_id, tag, customer_id)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="customers", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE_AND_PARTIAL:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
