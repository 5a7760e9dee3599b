"""Callback problems and quality scores: tenant-leading indexes, one score per record and, on
PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T17:59:25:000000"
VERSION = "1.38.0"
DESCRIPTION = "callback problems and scores: tenant indexes and row-level security"

TENANT_TABLES = [
    ("callback_problem", [("status", "due_on"), ("assignee_id", "status"), ("record_id",), ("task_id",),
                          ("complaint_id",)]),
    ("callback_score", [("record_id",), ("agent_id", "scored_on")]),
]

UNIQUE = [
    # art. 27: one QA score per record; a second save is refused, not counted twice.
    "CREATE UNIQUE INDEX IF NOT EXISTS callback_score_record_unique ON callback_score (tenant_id, record_id)",
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
