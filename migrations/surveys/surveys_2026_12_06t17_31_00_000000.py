"""The survey answer page's two statements on PostgreSQL (kefu.surveys.services.answering): what a
token opens, and the answer stored, each one call that sets the tenant for row-level security
first (set_config(…, true), local to the call's own transaction) — one round trip each instead
of BEGIN, the statement and COMMIT (make bench: python -m bench.surveys).

SECURITY INVOKER (the default): they run as the app role, under its row-level security.
`kefu_survey_save` re-checks under the invitation's row lock what the page checked before
(the invitation not answered, the round open, the tenant active) and answers 'changed'
otherwise; the caller then takes the full path, which reports the token's real state.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from kefu.core.ddl import run_postgres_only

ID = "2026-12-06T17:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "survey answer functions (one round trip each)"

TARGET = """
CREATE OR REPLACE FUNCTION kefu_survey_target(p_tenant integer, p_token text)
RETURNS TABLE (round_id integer, title varchar, definition json, validity json,
               opens_at timestamptz, closes_at timestamptz, status varchar, invitation_id integer,
               state varchar, customer_id integer, building varchar, segment varchar,
               household varchar)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  RETURN QUERY
    SELECT r.id, r.title, r.definition, r.validity, r.opens_at, r.closes_at, r.status, i.id,
           i.state, i.customer_id, i.building, i.segment, i.household
    FROM survey_invitation i
    JOIN survey_round r ON r.id = i.round_id AND r.tenant_id = i.tenant_id
    JOIN tenant t ON t.id = i.tenant_id AND t.is_active
    WHERE i.tenant_id = p_tenant AND i.token = p_token;
  IF NOT FOUND THEN
    RETURN QUERY
      SELECT r.id, r.title, r.definition, r.validity, r.opens_at, r.closes_at, r.status,
             NULL::integer, NULL::varchar, NULL::integer, NULL::varchar, NULL::varchar, NULL::varchar
      FROM survey_round r JOIN tenant t ON t.id = r.tenant_id AND t.is_active
      WHERE r.tenant_id = p_tenant AND r.open_token = p_token;
  END IF;
END $$
"""

SAVE = """
CREATE OR REPLACE FUNCTION kefu_survey_save(
  p_tenant integer, p_round integer, p_invitation integer, p_answers json, p_started timestamptz,
  p_now timestamptz, p_duration integer, p_reason text, p_building text, p_segment text,
  p_household text, p_via text, p_one_per text, p_customer integer)
RETURNS TABLE (outcome text, response_id integer, invalid_reason text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_state varchar; v_status varchar; v_opens timestamptz; v_closes timestamptz;
  v_reason text := p_reason; v_id integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  IF p_invitation IS NOT NULL THEN
    SELECT i.state INTO v_state FROM survey_invitation i
    WHERE i.tenant_id = p_tenant AND i.id = p_invitation FOR UPDATE;
    IF v_state IS DISTINCT FROM 'invited' THEN
      RETURN QUERY SELECT 'changed'::text, NULL::integer, ''::text; RETURN;
    END IF;
  END IF;
  SELECT r.status, r.opens_at, r.closes_at INTO v_status, v_opens, v_closes
  FROM survey_round r JOIN tenant t ON t.id = r.tenant_id AND t.is_active
  WHERE r.tenant_id = p_tenant AND r.id = p_round;
  IF NOT FOUND OR v_status = 'closed' OR p_now >= v_closes OR p_now < v_opens THEN
    RETURN QUERY SELECT 'changed'::text, NULL::integer, ''::text; RETURN;
  END IF;
  -- The template's one_per rule: answers of one household or customer one at a time, so the
  -- duplicate check sees an answer a concurrent call committed. The reason found by the
  -- caller wins; a duplicate is the last reason (policy.answers.invalid_reason).
  IF p_one_per = 'household' AND p_household <> '' THEN
    PERFORM pg_advisory_xact_lock(hashtext('survey:' || p_round || ':household:' || p_household));
    IF v_reason = '' AND EXISTS (
        SELECT 1 FROM survey_response s WHERE s.tenant_id = p_tenant AND s.round_id = p_round
        AND s.is_valid AND s.household = p_household) THEN
      v_reason := 'duplicate_household';
    END IF;
  ELSIF p_one_per = 'customer' AND p_customer IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('survey:' || p_round || ':customer:' || p_customer));
    IF v_reason = '' AND EXISTS (
        SELECT 1 FROM survey_response s JOIN survey_invitation i
        ON i.id = s.invitation_id AND i.tenant_id = s.tenant_id
        WHERE s.tenant_id = p_tenant AND s.round_id = p_round AND s.is_valid
        AND i.customer_id = p_customer) THEN
      v_reason := 'duplicate_customer';
    END IF;
  END IF;
  INSERT INTO survey_response (tenant_id, round_id, invitation_id, answers, started_at,
                               submitted_at, duration_seconds, is_valid, invalid_reason,
                               building, segment, household, via)
  VALUES (p_tenant, p_round, p_invitation, p_answers, p_started, p_now, p_duration,
          v_reason = '', v_reason, p_building, p_segment, p_household, p_via)
  ON CONFLICT DO NOTHING RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RETURN QUERY SELECT 'already_answered'::text, NULL::integer, ''::text; RETURN;
  END IF;
  IF p_invitation IS NOT NULL THEN
    UPDATE survey_invitation SET state = 'answered', answered_at = p_now
    WHERE tenant_id = p_tenant AND id = p_invitation;
  END IF;
  RETURN QUERY SELECT 'saved'::text, v_id, v_reason;
END $$
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        await run_postgres_only(TARGET, SAVE)

    async def undo():
        await run_postgres_only(
            "DROP FUNCTION IF EXISTS kefu_survey_target(integer, text)",
            "DROP FUNCTION IF EXISTS kefu_survey_save(integer, integer, integer, json, timestamptz, "
            "timestamptz, integer, text, text, text, text, text, text, integer)",
        )

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
