"""The survey answer page's duplicate check by household, indexed for it alone; and the answer
functions plan their statements once per connection.

1. A partial index of the valid answers that name a household, which the duplicate check
   (kefu_survey_save, and kefu.surveys.services.answering on the other paths) now matches. The
   check used to be planned on the (tenant_id, round_id, id) index whenever the statistics had
   not yet seen the round's answers (a round opened in the morning and answered in a burst):
   every answer then read all the round's answers before it (2.1 ms at 8,000 answers, against
   0.05 ms on this index; make bench: python -m bench.surveys).
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
         "(tenant_id, round_id, household) WHERE is_valid AND household <> ''")

_TARGET = "kefu_survey_target(integer, text)"
_SAVE_ARGS = ("kefu_survey_save(integer, integer, integer, json, timestamptz, timestamptz, integer, text, "
              "text, text, text, text, text, integer)")

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
        AND s.is_valid AND s.household <> '' AND s.household = p_household) THEN
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

_SAVE_BEFORE = """
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
        await current_engine().run_ddl(INDEX)
        await run_postgres_only(
            SAVE,
            f"ALTER FUNCTION {_TARGET} SET plan_cache_mode = auto",
            f"ALTER FUNCTION {_SAVE_ARGS} SET plan_cache_mode = auto",
        )

    async def undo():
        await current_engine().run_ddl("DROP INDEX IF EXISTS survey_response_valid_household")
        await run_postgres_only(
            _SAVE_BEFORE,
            f"ALTER FUNCTION {_TARGET} RESET plan_cache_mode",
            f"ALTER FUNCTION {_SAVE_ARGS} RESET plan_cache_mode",
        )

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
