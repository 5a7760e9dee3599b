"""Results read a round's responses in id order, in chunks (and page them newest first): an
index with the id after the round makes each chunk an ordered range scan instead of a sort of
the whole round."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.db import current_engine

ID = "2026-11-29T01:25:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "survey responses by round in id order"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        await current_engine().run_ddl(
            "CREATE INDEX IF NOT EXISTS survey_response_tenant_round_id ON survey_response (tenant_id, round_id, id)"
        )

    manager.add_raw(run)
    return manager
