"""Tenant-leading (and unique) indexes and, on PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table
from kefu.db import current_engine

ID = "2026-11-29T00:36:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant indexes, unique keys and row-level security"

TENANT_TABLES = [
    ("survey_template", []),
    ("survey_round", [("status",), ("template_id",), ("half_year",)]),
    ("survey_invitation", [("round_id", "state"), ("customer_id",)]),
    ("survey_response", [("round_id", "is_valid"), ("round_id", "household")]),
    ("survey_schedule", []),
    ("improvement_action", [("status", "due_on"), ("round_id",)]),
]

UNIQUE_AND_PARTIAL = [
    # One answer per invitation token: the second submit conflicts and keeps the first.
    "CREATE UNIQUE INDEX IF NOT EXISTS survey_response_invitation_unique "
    "ON survey_response (tenant_id, invitation_id) WHERE invitation_id IS NOT NULL",
    # One half-year round per tenant and half-year, however many schedulers tick.
    "CREATE UNIQUE INDEX IF NOT EXISTS survey_round_half_year_unique "
    "ON survey_round (tenant_id, half_year) WHERE half_year <> ''",
    "CREATE UNIQUE INDEX IF NOT EXISTS survey_schedule_unique ON survey_schedule (tenant_id)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)
        for sql in UNIQUE_AND_PARTIAL:
            await current_engine().run_ddl(sql)

    manager.add_raw(run)
    return manager
