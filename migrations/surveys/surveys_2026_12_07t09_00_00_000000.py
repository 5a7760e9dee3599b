"""An invitee's answer in one round trip (kefu.surveys.services.answering): the form names the
round it was served for, the process keeps each round's questionnaire (a round's definition and
validity rules never change), so the answers are read and judged before any query, and one call
finds the invitation by its token in that round and stores the answer through kefu_survey_save
(which locks and re-checks the invitation, the round and the tenant, as before). Before, the
page first fetched the target, questionnaire included, then saved: two round trips an answer
(make bench: python -m bench.surveys).

'changed' when the token is not an invitation of that round (an open link, another round, or
nothing): the caller then takes the two-call path, which reports the token's real state.
SECURITY INVOKER (the default): it runs as the app role, under its row-level security.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import run_postgres_only

ID = "2026-12-07T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "survey answers: an invitee's answer in one call"

ANSWER = """
CREATE OR REPLACE FUNCTION kefu_survey_answer(
  p_tenant integer, p_token text, p_round integer, p_answers json, p_started timestamptz,
  p_now timestamptz, p_duration integer, p_reason text, p_one_per text)
RETURNS TABLE (outcome text, response_id integer, invalid_reason text, invitation_id integer,
               customer_id integer, building varchar, segment varchar, household varchar)
LANGUAGE plpgsql SET plan_cache_mode = auto AS $$
#variable_conflict use_column
DECLARE
  v_id integer; v_customer integer; v_building varchar; v_segment varchar; v_household varchar;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  SELECT i.id, i.customer_id, i.building, i.segment, i.household
    INTO v_id, v_customer, v_building, v_segment, v_household
  FROM survey_invitation i
  WHERE i.tenant_id = p_tenant AND i.token = p_token AND i.round_id = p_round;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'changed'::text, NULL::integer, ''::text, NULL::integer, NULL::integer,
                        NULL::varchar, NULL::varchar, NULL::varchar;
    RETURN;
  END IF;
  RETURN QUERY
    SELECT s.outcome, s.response_id, s.invalid_reason, v_id, v_customer, v_building, v_segment,
           v_household
    FROM kefu_survey_save(p_tenant, p_round, v_id, p_answers, p_started, p_now, p_duration,
                          p_reason, v_building, v_segment, v_household, 'invite', p_one_per,
                          v_customer) s;
END $$
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        await run_postgres_only(ANSWER)

    async def undo():
        await run_postgres_only(
            "DROP FUNCTION IF EXISTS kefu_survey_answer(integer, text, integer, json, timestamptz, "
            "timestamptz, integer, text, text)")

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
