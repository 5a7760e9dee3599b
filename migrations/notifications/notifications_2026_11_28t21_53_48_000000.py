"""Tenant-leading indexes, the uniqueness that makes owing a notice idempotent, and RLS."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-11-28T21:53:48:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("notice", [("state", "next_attempt_at"), ("subject_type", "subject_id"), ("kind", "due_on")]),
    ("notice_template", []),
]
UNIQUE = [
    # Writing the same notice twice creates one (owe_notice's ON CONFLICT target).
    "CREATE UNIQUE INDEX IF NOT EXISTS notice_tenant_unique_key ON notice (tenant_id, unique_key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS notice_template_tenant_kind_locale_channel "
    "ON notice_template (tenant_id, kind, locale, channel)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
