"""Callback online links: tenant-leading indexes, one per task and per invitation, and, on
PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T20:23:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "callback online links: tenant indexes and row-level security"

TENANT_TABLES = [
    ("callback_online", [("campaign_id",), ("answered_at",)]),
]

UNIQUE = [
    # one questionnaire per task; the answer's invitation names one task
    "CREATE UNIQUE INDEX IF NOT EXISTS callback_online_task_unique ON callback_online (tenant_id, task_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS callback_online_invitation_unique ON callback_online (tenant_id, invitation_id)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="callbacks", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
