"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T13:49:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("position_assignment", [("user_id", "starts_on"), ("position", "starts_on")]),
    ("duty_task", [("assignee_id", "status", "due_on"), ("status", "due_on"), ("period_start",)]),
    ("training_record", [("user_id", "course", "expires_on")]),
]

UNIQUE = [
    # One task per position, duty and period, however many schedulers tick at once.
    "CREATE UNIQUE INDEX IF NOT EXISTS duty_task_period_unique "
    "ON duty_task (tenant_id, position, duty_code, period_key)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="duties", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
