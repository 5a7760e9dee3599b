"""Training sessions, plan items and performance notes: tenant-leading indexes and, on
PostgreSQL, forced row-level security."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import apply_tenant_table

ID = "2026-12-06T16:43:19:000000"
VERSION = "1.38.0"
DESCRIPTION = "training session, plan and performance note tenant indexes and row-level security"

TENANT_TABLES = [
    ("training_session", [("session_on",), ("course",)]),
    ("training_plan_item", [("year", "department")]),
    ("performance_note", [("user_id", "noted_on")]),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="duties", description=DESCRIPTION)

    async def run():
        for table, indexes in TENANT_TABLES:
            await apply_tenant_table(table, indexes)

    manager.add_raw(run)
    return manager
