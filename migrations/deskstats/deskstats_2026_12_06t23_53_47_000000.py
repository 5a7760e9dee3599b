"""month_filing: tenant-leading indexes, one filing per tenant and month, and on PostgreSQL
forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T23:53:47:000000"
VERSION = "1.38.0"
DESCRIPTION = "month_filing: tenant indexes, unique month and row-level security"

UNIQUE = [
    # C.i: a month's statistics are filed once; a double submit writes one row.
    "CREATE UNIQUE INDEX IF NOT EXISTS month_filing_unique ON month_filing (tenant_id, period)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="deskstats", description=DESCRIPTION)

    async def run():
        await apply_tenant_table("month_filing", [])
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
