"""Answering a survey: the public answer page's service, plain async functions.

A token is an invitation's (one respondent, one answer) or a round's open_token (the anonymous
link on the poster). `resolve` finds what a token opens within one tenant; `submit` stores one
answer in ONE write transaction: the invitation locked and re-checked, the answers read with
rules.read_answers (any error: nothing written), validity decided with rules.invalid_reason, the
response inserted (ON CONFLICT on the one-answer-per-invitation index: the first answer stays)
and the invitation marked answered. It is the hot path (`make bench`): a handful of statements,
no ORM objects.

The time to complete comes from a `started` value signed when the form was served; a missing
or tampered one counts as zero seconds (too fast, when the template sets a floor).

Open-link answers keep nothing personal (no customer, building or household) and are limited
per client address; a filled honeypot pretends success and stores nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from kefu.core import clock, ratelimit
from kefu.core.errors import FieldError
from kefu.db import is_postgres, transaction
from kefu.settings import get_settings
from kefu.surveys import rules
from kefu.surveys.definition import (
    NPS_MAX,
    NPS_MIN,
    RATING_MAX,
    RATING_MIN,
    Definition,
    ValidityRules,
    parse_definition,
    parse_validity,
)
from kefu.surveys.tables import SurveyInvitation, SurveyResponse, SurveyRound
from kefu.tenancy.tables import Tenant

log = logging.getLogger("kefu.surveys.answering")

# Answers one client address may send through one open link per window (the honeypot counts).
OPEN_LIMIT = 5
OPEN_WINDOW = 600
RATE_SCOPE = "survey-open"
HONEYPOT = "website"  # hidden from people; bots fill every input
STARTED = "started"  # the signed time the form was served
MAX_TOKEN = 64

# States a token can be in; the controller turns each into a page.
OPEN, NOT_OPEN_YET, CLOSED, ALREADY_ANSWERED = "open", "not_open_yet", "closed", "already_answered"


@dataclass(frozen=True)
class Target:
    """What a token opens: a round, and the invitation when it is an invitee's token."""

    round_id: int
    title: str
    definition: Definition
    validity: ValidityRules
    opens_at: datetime
    closes_at: datetime
    status: str
    invitation_id: int | None = None
    invitation_state: str = ""
    customer_id: int | None = None
    building: str = ""
    segment: str = ""
    household: str = ""

    @property
    def is_open_link(self) -> bool:
        return self.invitation_id is None

    def state(self, now: datetime | None = None) -> str:
        now = now or clock.now()
        if self.invitation_state == "answered":
            return ALREADY_ANSWERED
        if self.status == "closed" or now >= self.closes_at:
            return CLOSED
        if now < self.opens_at:
            return NOT_OPEN_YET
        return OPEN


@dataclass
class Outcome:
    """What became of a submit: "saved" (also a honeypot's pretend success), "invalid" (errors
    by question key, nothing stored), "rate_limited", or a token state (not_open_yet, closed,
    already_answered); `target` is None only for "not_found"."""

    kind: str
    target: Target | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)
    response_id: int | None = None
    is_valid: bool = True
    invalid_reason: str = ""


# --- the signed start time ---------------------------------------------------------------------


def _signature(token: str, stamp: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"survey-started|{token}|{stamp}".encode(), hashlib.sha256).hexdigest()[:32]


def sign_started(token: str, at: datetime | None = None) -> str:
    """The hidden `started` value for a form served now: the time and its HMAC."""
    stamp = str(int((at or clock.now()).timestamp()))
    return f"{stamp}.{_signature(token, stamp)}"


def read_started(token: str, value: str | None) -> datetime | None:
    """The time the form was served, or None if the value is missing, malformed or tampered."""
    if not value or len(value) > 80:
        return None
    stamp, _, signature = value.partition(".")
    if not stamp.isdigit() or len(stamp) > 12:
        return None
    if not hmac.compare_digest(signature, _signature(token, stamp)):
        return None
    at = datetime.fromtimestamp(int(stamp), UTC)
    return at if at <= clock.now() else None


def duration_seconds(started_at: datetime | None, now: datetime) -> int:
    return max(0, int((now - started_at).total_seconds())) if started_at else 0


# --- resolving a token -------------------------------------------------------------------------

_BY_INVITATION = (
    "SELECT r.id AS round_id, r.title, r.definition, r.validity, r.opens_at, r.closes_at, r.status, "
    "i.id AS invitation_id, i.state, i.customer_id, i.building, i.segment, i.household "
    "FROM survey_invitation i JOIN survey_round r ON r.id = i.round_id AND r.tenant_id = i.tenant_id "
    "WHERE i.tenant_id = {} AND i.token = {}"
)
_BY_OPEN_TOKEN = (
    "SELECT r.id AS round_id, r.title, r.definition, r.validity, r.opens_at, r.closes_at, r.status "
    "FROM survey_round r WHERE r.tenant_id = {} AND r.open_token = {}"
)


@lru_cache(maxsize=256)
def _definition(text: str) -> Definition:
    return parse_definition(text)


@lru_cache(maxsize=256)
def _validity(text: str) -> ValidityRules:
    return parse_validity(text)


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _target(row: Mapping[str, Any]) -> Target:
    invitation = row.get("invitation_id")
    return Target(
        round_id=int(row["round_id"]), title=row["title"],
        definition=_definition(_json_text(row["definition"])),
        validity=_validity(_json_text(row["validity"])),
        opens_at=_aware(row["opens_at"]), closes_at=_aware(row["closes_at"]), status=row["status"],
        invitation_id=int(invitation) if invitation is not None else None,
        invitation_state=row.get("state") or "", customer_id=row.get("customer_id"),
        building=row.get("building") or "", segment=row.get("segment") or "",
        household=row.get("household") or "",
    )


def plausible_token(token: str) -> bool:
    """Tokens are secrets.token_urlsafe: anything else is not looked up (and NUL never reaches
    the database)."""
    return 0 < len(token) <= MAX_TOKEN and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)


# PostgreSQL, when submitting: the invitation locked, and in the same round trip the lock that
# serialises answers of one customer or household (the template's one_per rule), so that the
# save's duplicate check, a later statement, sees an answer committed by a concurrent submit.
_LOCK_ONE_PER_PG = (
    ", CASE WHEN r.validity::jsonb ->> 'one_per' = 'household' AND i.household <> '' "
    "THEN pg_advisory_xact_lock(hashtext('survey:' || r.id || ':household:' || i.household)) "
    "WHEN r.validity::jsonb ->> 'one_per' = 'customer' AND i.customer_id IS NOT NULL "
    "THEN pg_advisory_xact_lock(hashtext('survey:' || r.id || ':customer:' || i.customer_id)) END AS one_per_lock "
)


async def _find(tenant_id: int, token: str, *, lock: bool) -> Target | None:
    sql = _BY_INVITATION
    if lock and is_postgres():
        sql = sql.replace(" FROM survey_invitation i", _LOCK_ONE_PER_PG + "FROM survey_invitation i", 1) + " FOR UPDATE OF i"
    rows = await SurveyInvitation.raw(sql, tenant_id, token)
    if not rows:
        rows = await SurveyRound.raw(_BY_OPEN_TOKEN, tenant_id, token)
    return _target(rows[0]) if rows else None


async def resolve(tenant: Tenant, token: str) -> Target | None:
    """The round (and invitation) a token opens in this tenant; None for an unknown token or
    another tenant's."""
    if not plausible_token(token):
        return None
    async with transaction(tenant.id, write=False):
        return await _find(tenant.id, token, lock=False)


# --- submitting --------------------------------------------------------------------------------

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
# as in rules.invalid_reason.
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
    race; PostgreSQL checks inside the save instead (_save_pg)."""
    one_per = target.validity.one_per
    if one_per == "customer" and target.customer_id is not None:
        sql, who = _ALREADY_VALID_CUSTOMER, target.customer_id
    elif one_per == "household" and target.household:
        sql, who = _ALREADY_VALID_HOUSEHOLD, target.household
    else:
        return False
    rows = await SurveyResponse.raw(sql, tenant_id, target.round_id, True, who)
    return bool(rows)


def form_lists(form: Any) -> dict[str, list[str]]:
    """A submitted form (a multidict, or a mapping of lists or strings) as {name: [strings]}."""
    if hasattr(form, "getall"):
        return {k: [v for v in form.getall(k) if isinstance(v, str)] for k in form.keys()}
    return {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in dict(form).items()}


async def submit(
    tenant: Tenant, token: str, form: Mapping[str, Sequence[str]] | Any, started: str | None,
    client_key: str,
) -> Outcome:
    """Store one answer for `token`. Nothing is written unless the outcome is "saved" with a
    response_id (a honeypot's "saved" has none). `started` is the signed hidden value,
    `client_key` the client's address (for the open link's limit)."""
    if not plausible_token(token):
        return Outcome("not_found")
    fields = form if isinstance(form, dict) and all(isinstance(v, list) for v in form.values()) else form_lists(form)
    limit_key = f"{tenant.id}|{token}|{client_key}"
    if any(v.strip() for v in fields.get(HONEYPOT, [])):
        # A bot: count it, store nothing, and answer like a success so it learns nothing.
        await ratelimit.hit(RATE_SCOPE, limit_key, limit=OPEN_LIMIT, window=OPEN_WINDOW)
        log.info("survey answer page: honeypot filled (tenant %s)", tenant.id)
        target = await resolve(tenant, token)
        return Outcome("saved" if target else "not_found", target)
    started_at = read_started(token, started)
    async with transaction(tenant.id, write=True):
        target = await _find(tenant.id, token, lock=True)
        if target is None:
            return Outcome("not_found")
        now = clock.now()
        state = target.state(now)
        if state != OPEN:
            return Outcome(state, target)
        answers, errors = rules.read_answers(target.definition, fields)
        if errors:
            return Outcome("invalid", target, answers, errors)
        if target.is_open_link and not await ratelimit.hit(
                RATE_SCOPE, limit_key, limit=OPEN_LIMIT, window=OPEN_WINDOW):
            return Outcome("rate_limited", target, answers)
        duration = duration_seconds(started_at, now)
        if is_postgres():
            rows = await _save_pg(tenant.id, target, answers, started_at, now, duration)
        else:
            rows = await _save(tenant.id, target, answers, started_at, now, duration)
        if not rows:  # the unique index: another submit of this invitation got there first
            return Outcome(ALREADY_ANSWERED, target)
    reason = rows[0]["invalid_reason"]
    return Outcome("saved", target, answers, response_id=int(rows[0]["id"]),
                   is_valid=not reason, invalid_reason=reason)


def _record(target: Target, answers: Mapping[str, Any], started_at: datetime | None, now: datetime,
            duration: int) -> tuple[Any, ...]:
    return (target.round_id, target.invitation_id, json.dumps(answers, ensure_ascii=False), started_at, now,
            duration)


def _snapshot(target: Target) -> tuple[str, ...]:
    return (target.building, target.segment, target.household, "open" if target.is_open_link else "invite")


async def _save(tenant_id: int, target: Target, answers: Mapping[str, Any], started_at: datetime | None,
                now: datetime, duration: int) -> list[dict[str, Any]]:
    reason = rules.invalid_reason(
        target.definition, target.validity, answers, duration_seconds=duration,
        already_answered=await _already_answered_by(tenant_id, target),
    )
    rows = await SurveyResponse.raw(_INSERT, tenant_id, *_record(target, answers, started_at, now, duration),
                                    not reason, reason, *_snapshot(target))
    if rows and target.invitation_id is not None:
        await SurveyInvitation.raw(_MARK_ANSWERED, now, tenant_id, target.invitation_id)
    return [{"id": r["id"], "invalid_reason": reason} for r in rows]


async def _save_pg(tenant_id: int, target: Target, answers: Mapping[str, Any], started_at: datetime | None,
                   now: datetime, duration: int) -> list[dict[str, Any]]:
    reason = rules.invalid_reason(target.definition, target.validity, answers, duration_seconds=duration)
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


def prefill(definition: Definition, fields: Mapping[str, Sequence[str]], answers: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows again after an error: the answers read, plus what the respondent
    gave to a question that was refused, as far as it fits the form (the rows of a matrix
    already rated, a free text cut to its limit), so nothing typed or tapped is lost."""
    shown = dict(answers)

    def raw(name: str) -> list[str]:
        return [v for v in fields.get(name, []) if isinstance(v, str) and v.strip()]

    def score(values: list[str], low: int, high: int) -> int | None:
        if len(values) != 1 or not values[0].strip().isdigit() or len(values[0].strip()) > 3:
            return None
        value = int(values[0])
        return value if low <= value <= high else None

    for q in definition.questions():
        if q.allow_other and f"{q.key}__other" not in shown and (other := raw(rules.field_name(q, "other"))):
            shown[f"{q.key}__other"] = other[0][: rules.OTHER_TEXT_LENGTH]
        if q.key in shown:
            continue
        given = raw(rules.field_name(q))
        if q.type == "text" and given:
            shown[q.key] = given[0][: q.max_length]
        elif q.type == "single" and len(given) == 1 and given[0] in q.option_values():
            shown[q.key] = given[0]
        elif q.type == "multiple" and (chosen := [v for v in q.option_values() if v in given]):
            shown[q.key] = chosen
        elif q.type in ("rating", "nps"):
            low, high = (RATING_MIN, RATING_MAX) if q.type == "rating" else (NPS_MIN, NPS_MAX)
            if (value := score(given, low, high)) is not None:
                shown[q.key] = value
        elif q.type == "matrix":
            rows = {r.key: score(raw(rules.field_name(q, r.key)), RATING_MIN, RATING_MAX) for r in q.rows}
            if rated := {k: v for k, v in rows.items() if v is not None}:
                shown[q.key] = rated
    return shown
