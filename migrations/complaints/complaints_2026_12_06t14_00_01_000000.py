"""Each reminder once: a before/on-day reminder once per deadline, an escalation once per
working day (remind_on is the day it is for)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.db import current_engine

ID = "2026-12-06T14:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "reminder claims unique per day"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)

    async def run():
        engine = current_engine()
        await engine.run_ddl("DROP INDEX IF EXISTS complaint_reminder_unique")
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS complaint_reminder_unique_day "
            "ON complaint_reminder (tenant_id, complaint_id, kind, due_on, stage, remind_on)"
        )

    manager.add_raw(run)
    return manager
