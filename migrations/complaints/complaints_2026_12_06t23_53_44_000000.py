"""complaint_report_issue: tenant-leading indexes, one issue per tenant and period, and on
PostgreSQL forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T23:53:44:000000"
VERSION = "1.38.0"
DESCRIPTION = "complaint_report_issue: tenant indexes, unique period and row-level security"

UNIQUE = [
    # A art. 20: a period's report is issued to management once; a double submit writes one row.
    "CREATE UNIQUE INDEX IF NOT EXISTS complaint_report_issue_unique "
    "ON complaint_report_issue (tenant_id, period_kind, first_day, last_day)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)

    async def run():
        await apply_tenant_table("complaint_report_issue", [("first_day", "last_day")])
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
