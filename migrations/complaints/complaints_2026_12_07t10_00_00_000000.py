"""Is anything due for the reminder sweep in this tenant today? One call that sets the tenant for
row-level security and answers (kefu.complaints.services.reminders): most ticks of most tenants
find nothing due, and then the sweep is this one round trip instead of a transaction's three
(BEGIN with the tenant, the batch query, COMMIT; make bench: the nothing-due runs).

No SET clause: the app's connections plan every statement for its values (force_custom_plan),
so the check reads the partial index complaint_tenant_next_remind. A generic plan of the batch's
query on the same condition reads the tenant's complaints by complaint_tenant instead (322 ms on
the bench's 1M-complaint tenant).
SECURITY INVOKER (the default): it runs as the app role, under its row-level security.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import run_postgres_only

ID = "2026-12-07T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "complaint reminders: whether anything is due, in one call"

DUE = """
CREATE OR REPLACE FUNCTION kefu_reminders_due(p_tenant integer, p_today date) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  RETURN EXISTS (SELECT 1 FROM complaint c
                 WHERE c.tenant_id = p_tenant AND c.next_remind_on <= p_today);
END $$
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="complaints", description=DESCRIPTION)

    async def run():
        await run_postgres_only(DUE)

    async def undo():
        await run_postgres_only("DROP FUNCTION IF EXISTS kefu_reminders_due(integer, date)")

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
