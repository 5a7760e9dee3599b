"""A survey answer in one call (kefu.surveys.services.answering): kefu_survey_answer finds what
the token opens in the round the form names (an invitation, or the round's open link when the
caller allows it), re-checks under the invitation's row lock what the page judged (the
invitation not answered, the round open, the tenant active) and stores the answer. It replaces
kefu_survey_save, which took the invitation and its snapshot from the caller: an invitee's clean
answer from a form that names its round costs one round trip instead of two (make bench:
python -m bench.surveys), and both paths store through this one function. (Under pgbench, this
function and the earlier one nested in another cost the same PostgreSQL CPU within noise:
0.26-0.27 against 0.27-0.31 ms an answer.)

'changed' when the token opens nothing in that round, or an open link the caller did not allow
(the one-call path has not applied the open link's limit per client yet), or the invitation,
round or tenant changed since the page judged the answer: the caller then takes the path that
reads the token afresh and reports its real state.
SECURITY INVOKER (the default): it runs as the app role, under its row-level security.
"""

import importlib.util
from pathlib import Path

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import run_postgres_only

ID = "2026-12-07T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "survey answers: one call finds the token's invitation or open link and stores the answer"

ANSWER = """
CREATE OR REPLACE FUNCTION kefu_survey_answer(
  p_tenant integer, p_token text, p_round integer, p_answers json, p_started timestamptz,
  p_now timestamptz, p_duration integer, p_reason text, p_one_per text, p_open_ok boolean)
RETURNS TABLE (outcome text, response_id integer, invalid_reason text, invitation_id integer,
               customer_id integer, building varchar, segment varchar, household varchar)
LANGUAGE plpgsql SET plan_cache_mode = auto AS $$
#variable_conflict use_column
DECLARE
  v_invitation integer; v_state varchar; v_customer integer; v_building varchar;
  v_segment varchar; v_household varchar; v_via text := 'invite';
  v_status varchar; v_opens timestamptz; v_closes timestamptz; v_open varchar;
  v_reason text := p_reason; v_id integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  SELECT i.id, i.state, i.customer_id, i.building, i.segment, i.household
    INTO v_invitation, v_state, v_customer, v_building, v_segment, v_household
  FROM survey_invitation i
  WHERE i.tenant_id = p_tenant AND i.token = p_token AND i.round_id = p_round FOR UPDATE;
  SELECT r.status, r.opens_at, r.closes_at, r.open_token INTO v_status, v_opens, v_closes, v_open
  FROM survey_round r JOIN tenant t ON t.id = r.tenant_id AND t.is_active
  WHERE r.tenant_id = p_tenant AND r.id = p_round;
  IF NOT FOUND OR v_status = 'closed' OR p_now >= v_closes OR p_now < v_opens
     OR (v_invitation IS NULL AND (NOT p_open_ok OR v_open IS DISTINCT FROM p_token))
     OR (v_invitation IS NOT NULL AND v_state IS DISTINCT FROM 'invited') THEN
    RETURN QUERY SELECT 'changed'::text, NULL::integer, ''::text, NULL::integer, NULL::integer,
                        NULL::varchar, NULL::varchar, NULL::varchar;
    RETURN;
  END IF;
  IF v_invitation IS NULL THEN  -- the open link: nothing personal is kept
    v_via := 'open'; v_building := ''; v_segment := ''; v_household := '';
  END IF;
  -- The template's one_per rule: answers of one household or customer one at a time, so the
  -- duplicate check sees an answer a concurrent call committed. The reason found by the
  -- caller wins; a duplicate is the last reason (policy.answers.invalid_reason).
  IF p_one_per = 'household' AND v_household <> '' THEN
    PERFORM pg_advisory_xact_lock(hashtext('survey:' || p_round || ':household:' || v_household));
    IF v_reason = '' AND EXISTS (
        SELECT 1 FROM survey_response s WHERE s.tenant_id = p_tenant AND s.round_id = p_round
        AND s.is_valid AND s.household = v_household) THEN
      v_reason := 'duplicate_household';
    END IF;
  ELSIF p_one_per = 'customer' AND v_customer IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('survey:' || p_round || ':customer:' || v_customer));
    IF v_reason = '' AND EXISTS (
        SELECT 1 FROM survey_response s JOIN survey_invitation i
        ON i.id = s.invitation_id AND i.tenant_id = s.tenant_id
        WHERE s.tenant_id = p_tenant AND s.round_id = p_round AND s.is_valid
        AND i.customer_id = v_customer) THEN
      v_reason := 'duplicate_customer';
    END IF;
  END IF;
  INSERT INTO survey_response (tenant_id, round_id, invitation_id, answers, started_at,
                               submitted_at, duration_seconds, is_valid, invalid_reason,
                               building, segment, household, via)
  VALUES (p_tenant, p_round, v_invitation, p_answers, p_started, p_now, p_duration,
          v_reason = '', v_reason, v_building, v_segment, v_household, v_via)
  ON CONFLICT DO NOTHING RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RETURN QUERY SELECT 'already_answered'::text, NULL::integer, ''::text, NULL::integer,
                        NULL::integer, NULL::varchar, NULL::varchar, NULL::varchar;
    RETURN;
  END IF;
  IF v_invitation IS NOT NULL THEN
    UPDATE survey_invitation SET state = 'answered', answered_at = p_now
    WHERE tenant_id = p_tenant AND id = v_invitation;
  END IF;
  RETURN QUERY SELECT 'saved'::text, v_id, v_reason, v_invitation, v_customer, v_building,
                      v_segment, v_household;
END $$
"""

_SAVE = ("kefu_survey_save(integer, integer, integer, json, timestamptz, timestamptz, integer, text, "
         "text, text, text, text, text, integer)")


def _earlier_save() -> str:
    """kefu_survey_save as migration 2026-12-06T17:31 created it (for going back)."""
    path = Path(__file__).with_name("surveys_2026_12_06t17_31_00_000000.py")
    spec = importlib.util.spec_from_file_location("kefu_surveys_answer_functions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.SAVE)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        await run_postgres_only(ANSWER, f"DROP FUNCTION IF EXISTS {_SAVE}")

    async def undo():
        await run_postgres_only(
            "DROP FUNCTION IF EXISTS kefu_survey_answer(integer, text, integer, json, timestamptz, "
            "timestamptz, integer, text, text, boolean)",
            _earlier_save(), f"ALTER FUNCTION {_SAVE} SET plan_cache_mode = auto",
        )

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
