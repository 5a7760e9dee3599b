"""The survey answer page's duplicate check by household, indexed for it alone; and the answer
functions plan their statements once per connection.

1. A partial index of the valid answers by household, matched by the duplicate check as written
   (kefu_survey_save, and kefu.surveys.services.answering on the other paths: `is_valid AND
   household = …`). The check used to be planned on the (tenant_id, round_id, id) index whenever
   the statistics had not yet seen the round's answers (a round opened in the morning and
   answered in a burst): every answer then read all the round's answers before it (2.1 ms at
   8,000 answers, against 0.05 ms on this index; make bench: python -m bench.surveys).
2. plan_cache_mode auto inside both functions. The app's connections plan every statement per
   call (force_custom_plan, kefu.db.build_engine: the worklist needs it on a 1M-complaint
   tenant); inside these functions that replanned each lookup by token, key or id on every
   answer: a token's lookup took 0.55 ms a call against 0.31 ms with this setting (measured on
   the bench database).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import run_postgres_only
from kefu.db import current_engine

ID = "2026-12-07T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "survey answers: an index for the household duplicate check; the answer functions keep their plans"

INDEX = ("CREATE INDEX IF NOT EXISTS survey_response_valid_household ON survey_response "
         "(tenant_id, round_id, household) WHERE is_valid")

_TARGET = "kefu_survey_target(integer, text)"
_SAVE = ("kefu_survey_save(integer, integer, integer, json, timestamptz, timestamptz, integer, text, "
         "text, text, text, text, text, integer)")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        await current_engine().run_ddl(INDEX)
        await run_postgres_only(
            f"ALTER FUNCTION {_TARGET} SET plan_cache_mode = auto",
            f"ALTER FUNCTION {_SAVE} SET plan_cache_mode = auto",
        )

    async def undo():
        await current_engine().run_ddl("DROP INDEX IF EXISTS survey_response_valid_household")
        await run_postgres_only(
            f"ALTER FUNCTION {_TARGET} RESET plan_cache_mode",
            f"ALTER FUNCTION {_SAVE} RESET plan_cache_mode",
        )

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
