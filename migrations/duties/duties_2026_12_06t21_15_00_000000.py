"""Training certificates a session issues are numbered uniquely in their tenant: a partial unique
index over (tenant_id, certificate_no) of the records a session made. Numbers typed in by hand
for an outside course are not constrained (they are the issuer's)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.db import current_engine

ID = "2026-12-06T21:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "training certificates: unique issued numbers per tenant"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="duties", description=DESCRIPTION)

    async def run():
        await current_engine().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS training_record_certificate_unique ON training_record "
            "(tenant_id, certificate_no) WHERE \"session\" IS NOT NULL AND certificate_no <> ''")

    manager.add_raw(run)
    return manager
