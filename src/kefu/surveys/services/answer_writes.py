"""The statements that store a survey answer inside a write transaction: answering's general
path (SQLite, or inside a caller's transaction), after the target was read and locked. The
outside-a-transaction path on PostgreSQL stores through kefu_survey_answer instead."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kefu.surveys.policy.answering import Target
from kefu.surveys.policy.answers import invalid_reason
from kefu.surveys.tables import SurveyInvitation, SurveyResponse

_ALREADY_VALID_CUSTOMER = (
    "SELECT 1 AS found FROM survey_response s JOIN survey_invitation i ON i.id = s.invitation_id "
    "AND i.tenant_id = s.tenant_id WHERE s.tenant_id = {} AND s.round_id = {} AND s.is_valid = {} "
    "AND i.customer_id = {} LIMIT 1"
)
_ALREADY_VALID_HOUSEHOLD = (
    "SELECT 1 AS found FROM survey_response s WHERE s.tenant_id = {} AND s.round_id = {} "
    "AND s.is_valid = {} AND s.household = {} LIMIT 1"
)
_INSERT = (
    "INSERT INTO survey_response (tenant_id, round_id, invitation_id, answers, started_at, "
    "submitted_at, duration_seconds, is_valid, invalid_reason, building, segment, household, via) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT DO NOTHING RETURNING id"
)
# PostgreSQL: the duplicate check, the response and the invitation marked answered in one
# statement (one round trip). The reason found in Python wins; a duplicate is the last reason,
# as in policy.answers.invalid_reason.
_DUP_HOUSEHOLD_PG = (
    "SELECT 1 FROM survey_response s WHERE s.tenant_id = {}::integer AND s.round_id = {}::integer "
    "AND s.is_valid AND s.household = {}::text"
)
_DUP_CUSTOMER_PG = (
    "SELECT 1 FROM survey_response s JOIN survey_invitation i ON i.id = s.invitation_id "
    "AND i.tenant_id = s.tenant_id WHERE s.tenant_id = {}::integer AND s.round_id = {}::integer "
    "AND s.is_valid AND i.customer_id = {}::integer"
)
_SAVE_PG = (
    "WITH d AS (SELECT CASE WHEN {}::text <> '' THEN {}::text %s ELSE '' END AS reason), "
    "ins AS (INSERT INTO survey_response (tenant_id, round_id, invitation_id, answers, started_at, "
    "submitted_at, duration_seconds, is_valid, invalid_reason, building, segment, household, via) "
    "SELECT {}::integer, {}::integer, {}::integer, {}::json, {}::timestamptz, {}::timestamptz, {}::integer, "
    "d.reason = '', d.reason, {}::text, {}::text, {}::text, {}::text FROM d "
    "ON CONFLICT DO NOTHING RETURNING id, invitation_id, is_valid, invalid_reason), "
    "upd AS (UPDATE survey_invitation SET state = 'answered', answered_at = {}::timestamptz FROM ins "
    "WHERE survey_invitation.tenant_id = {}::integer AND survey_invitation.id = ins.invitation_id) "
    "SELECT id, is_valid, invalid_reason FROM ins"
)
_MARK_ANSWERED = (
    "UPDATE survey_invitation SET state = 'answered', answered_at = {} "
    "WHERE tenant_id = {} AND id = {}"
)


async def _already_answered_by(tenant_id: int, target: Target) -> bool:
    """A valid response of the same customer or household is already in the round (the
    template's one_per rule). SQLite runs one write transaction at a time, so the lookup cannot
    race; PostgreSQL checks inside the save instead (save_pg)."""
    one_per = target.validity.one_per
    who: int | str
    if one_per == "customer" and target.customer_id is not None:
        sql, who = _ALREADY_VALID_CUSTOMER, target.customer_id
    elif one_per == "household" and target.household:
        sql, who = _ALREADY_VALID_HOUSEHOLD, target.household
    else:
        return False
    rows = await SurveyResponse.raw(sql, tenant_id, target.round_id, True, who)
    return bool(rows)



def _record(target: Target, answers: Mapping[str, Any], started_at: datetime | None, now: datetime,
            duration: int) -> tuple[Any, ...]:
    return (target.round_id, target.invitation_id, json.dumps(answers, ensure_ascii=False), started_at, now,
            duration)


def _snapshot(target: Target) -> tuple[str, ...]:
    return (target.building, target.segment, target.household, "open" if target.is_open_link else "invite")


async def save(tenant_id: int, target: Target, answers: Mapping[str, Any], started_at: datetime | None,
                now: datetime, duration: int) -> list[dict[str, Any]]:
    reason = invalid_reason(
        target.definition, target.validity, answers, duration_seconds=duration,
        already_answered=await _already_answered_by(tenant_id, target),
    )
    rows = await SurveyResponse.raw(_INSERT, tenant_id, *_record(target, answers, started_at, now, duration),
                                    not reason, reason, *_snapshot(target))
    if rows and target.invitation_id is not None:
        await SurveyInvitation.raw(_MARK_ANSWERED, now, tenant_id, target.invitation_id)
    return [{"id": r["id"], "invalid_reason": reason} for r in rows]


async def save_pg(tenant_id: int, target: Target, answers: Mapping[str, Any], started_at: datetime | None,
                   now: datetime, duration: int) -> list[dict[str, Any]]:
    reason = invalid_reason(target.definition, target.validity, answers, duration_seconds=duration)
    one_per = target.validity.one_per
    if one_per == "household" and target.household:
        duplicate = f"WHEN EXISTS ({_DUP_HOUSEHOLD_PG}) THEN {{}}::text"
        dup_args: tuple[Any, ...] = (tenant_id, target.round_id, target.household, "duplicate_household")
    elif one_per == "customer" and target.customer_id is not None:
        duplicate = f"WHEN EXISTS ({_DUP_CUSTOMER_PG}) THEN {{}}::text"
        dup_args = (tenant_id, target.round_id, target.customer_id, "duplicate_customer")
    else:
        duplicate, dup_args = "", ()
    sql = _SAVE_PG % duplicate
    return await SurveyResponse.raw(
        sql, reason, reason, *dup_args, tenant_id, *_record(target, answers, started_at, now, duration),
        *_snapshot(target), now, tenant_id,
    )
