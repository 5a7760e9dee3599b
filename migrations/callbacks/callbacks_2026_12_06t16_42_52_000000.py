"""Callbacks: tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T16:42:52:000000"
VERSION = "1.38.0"
DESCRIPTION = "callbacks tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("callback_campaign", [("status", "opens_on"), ("kind", "window_start")]),
    ("callback_task", [("owner_id", "status", "due_on"), ("position", "status", "due_on"),
                       ("campaign_id", "status"), ("customer_id",)]),
    ("callback_attempt", [("task_id", "attempted_at")]),
    ("callback_record", [("callback_on",), ("campaign_id",), ("customer_id",), ("kind", "callback_on")]),
    ("callback_addendum", [("record_id",)]),
    ("callback_file", [("record_id",)]),
]

UNIQUE = [
    # One automatic task per key (a complaint's follow-up, a campaign's row), however often the
    # close is retried or the sweep runs; NULL keys (hand-made tasks) never collide.
    "CREATE UNIQUE INDEX IF NOT EXISTS callback_task_unique_key ON callback_task (tenant_id, unique_key)",
    # One written record per task (art. 25).
    "CREATE UNIQUE INDEX IF NOT EXISTS callback_record_task_unique ON callback_record (tenant_id, task_id)",
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
