"""Callback plans and the deadline watch: tenant indexes, one plan per tenant and year, and, on
PostgreSQL, forced row-level security; the watch's sweep reads open tasks by due day."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T20:24:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "callback plans: tenant indexes and row-level security; open tasks by due day"

TENANT_TABLES = [
    ("callback_plan", [("year",)]),
]

INDEXES = [
    # The deadline sweep (services.deadline_sweep): a tenant's open tasks due by a day.
    "CREATE INDEX IF NOT EXISTS callback_task_tenant_status_due_on ON callback_task (tenant_id, status, due_on)",
    # A plan per tenant and year (art. 22(1)).
    "CREATE UNIQUE INDEX IF NOT EXISTS callback_plan_year_unique ON callback_plan (tenant_id, year)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="callbacks", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in INDEXES:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
