"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-12-06T14:18:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("fee_item", [("code", "valid_from")]),
    # The bills list filters a month (and a building through the unit), the desk sums a unit's
    # unpaid bills, ageing reads unpaid bills by due day.
    ("bill", [("period",), ("unit_id", "period"), ("due_on",)]),
    ("payment", [("bill_id",)]),
    ("receipt_counter", []),
    ("late_reason", [("unit_id",), ("category",)]),
]

UNIQUE = [
    # Generating a month twice makes no second bill (INSERT … ON CONFLICT DO NOTHING).
    "CREATE UNIQUE INDEX IF NOT EXISTS bill_unit_item_period_unique ON bill (tenant_id, unit_id, item_id, period)",
    "CREATE UNIQUE INDEX IF NOT EXISTS receipt_counter_year_unique ON receipt_counter (tenant_id, year)",
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_receipt_unique ON payment (tenant_id, receipt_no)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="fees", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
