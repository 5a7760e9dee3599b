"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-11-28T21:58:54:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("complaint_counter", []),
    (
        "complaint",
        [("status",), ("received_on",), ("next_due",), ("handler_id",), ("complainant_phone",),
         ("complainant_email",), ("customer_ref",), ("repeat_of_id",)],
    ),
    ("complaint_attachment", [("complaint_id",)]),
    ("complaint_reminder", []),
    ("complaint_note", [("complaint_id",)]),
    ("contact_info", []),
    ("governance_document", []),
]

UNIQUE_AND_PARTIAL = [
    # One counter row per tenant and year: the upsert that allocates numbers conflicts on it.
    "CREATE UNIQUE INDEX IF NOT EXISTS complaint_counter_unique ON complaint_counter (tenant_id, year)",
    "CREATE UNIQUE INDEX IF NOT EXISTS complaint_number_unique ON complaint (tenant_id, number)",
    # A double submit creates one complaint (NULL keys never conflict).
    "CREATE UNIQUE INDEX IF NOT EXISTS complaint_idempotency_unique "
    "ON complaint (tenant_id, idempotency_key)",
    # The reminder sweep: one range scan per tenant over the rows due for a reminder.
    "CREATE INDEX IF NOT EXISTS complaint_tenant_next_remind ON complaint (tenant_id, next_remind_on) "
    "WHERE next_remind_on IS NOT NULL",
    # Recomputed when a holiday year is loaded.
    "CREATE INDEX IF NOT EXISTS complaint_tenant_provisional ON complaint (tenant_id, id) "
    "WHERE deadlines_provisional",
    # Each reminder once.
    "CREATE UNIQUE INDEX IF NOT EXISTS complaint_reminder_unique "
    "ON complaint_reminder (tenant_id, complaint_id, kind, due_on, stage)",
    "CREATE UNIQUE INDEX IF NOT EXISTS contact_info_unique ON contact_info (tenant_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS governance_document_unique "
    "ON governance_document (tenant_id, kind, version)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE_AND_PARTIAL:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
