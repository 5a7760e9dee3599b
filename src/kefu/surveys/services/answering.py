"""Answering a survey: the public answer page's write.

A token is an invitation's (one respondent, one answer) or a round's open_token (the anonymous
link on the poster); queries.answering finds what it opens. `submit` stores one answer in ONE
write transaction: the invitation locked and re-checked, the answers read with
schemas.answers.read_answers (any error: nothing written), validity decided with
policy.answers.invalid_reason, the response inserted (ON CONFLICT on the
one-answer-per-invitation index: the first answer stays) and the invitation marked answered. It is the hot path (`make bench`): a handful of statements,
no ORM objects.

The time to complete comes from a `started` value signed when the form was served; a missing
or tampered one counts as zero seconds (too fast, when the template sets a floor).

Open-link answers keep nothing personal (no customer, building or household) and are limited
per client address; a filled honeypot pretends success and stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import msgspec

from kefu.core import clock, ratelimit
from kefu.core.errors import FieldError
from kefu.core.tenancy import HasId
from kefu.db import fetch_raw, in_transaction, is_postgres, one_connection, transaction
from kefu.surveys.policy.answering import (
    ALREADY_ANSWERED,
    OPEN,
    Target,
    duration_seconds,
    plausible_token,
)
from kefu.surveys.policy.answers import invalid_reason
from kefu.surveys.queries.answering import find, recall, remember, resolve, target_of
from kefu.surveys.schemas.answers import HONEYPOT, ROUND, form_lists, read_answers, read_started
from kefu.surveys.schemas.direct import Answered
from kefu.surveys.services import direct
from kefu.surveys.services.answer_writes import save, save_pg
from kefu.surveys.tables import SurveyInvitation, SurveyResponse

log = logging.getLogger("kefu.surveys.answering")

# Answers one client address may send through one open link per window (the honeypot counts).
OPEN_LIMIT = 5
OPEN_WINDOW = 600
RATE_SCOPE = "survey-open"


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


async def submit(
    tenant: HasId, token: str, form: Mapping[str, Sequence[str]] | Any, started: str | None,
    client_key: str,
) -> Outcome:
    """Store one answer for `token`. Nothing is written unless the outcome is "saved" with a
    response_id (a honeypot's "saved" has none). `started` is the signed hidden value,
    `client_key` the client's address (for the open link's limit). Once an invitation's answer
    is stored, services.direct's listeners hear of it (a callback's online method)."""
    outcome = await _submit(tenant, token, form, started, client_key)
    target = outcome.target
    if outcome.kind == "saved" and outcome.response_id and target is not None and target.invitation_id:
        await direct.answered(Answered(tenant_id=tenant.id, round_id=target.round_id,
                                       invitation_id=target.invitation_id, response_id=outcome.response_id,
                                       answers=dict(outcome.answers)))
    return outcome


async def _submit(
    tenant: HasId, token: str, form: Mapping[str, Sequence[str]] | Any, started: str | None,
    client_key: str,
) -> Outcome:
    if not plausible_token(token):
        return Outcome("not_found")
    fields = form if isinstance(form, dict) and all(isinstance(v, list) for v in form.values()) else form_lists(form)
    limit_key = f"{tenant.id}|{token}|{client_key}"
    if any(v.strip() for v in fields.get(HONEYPOT, [])):
        return await _honeypot(tenant, token, limit_key)
    started_at = read_started(token, started)
    if is_postgres() and not await in_transaction():
        fast = await _answer_in_one_call(tenant, token, fields, started_at)
        if fast is None:
            async with one_connection():
                fast = await _submit_pg(tenant, token, fields, started_at, limit_key)
        if fast is not None:
            return fast
    return await _submit_locked(tenant, token, fields, started_at, limit_key)


async def _submit_locked(
    tenant: HasId, token: str, fields: Mapping[str, Sequence[str]], started_at: datetime | None,
    limit_key: str,
) -> Outcome:
    """submit's general path: the target read and locked, the answers checked and saved, in
    one write transaction (SQLite, or inside a caller's transaction)."""
    async with transaction(tenant.id, write=True):
        target = await find(tenant.id, token, lock=True)
        if target is None:
            return Outcome("not_found")
        judged, now, duration = await _judge(target, fields, limit_key, started_at)
        if judged.kind != _ACCEPTED:
            return judged
        answers = judged.answers
        if is_postgres():
            rows = await save_pg(tenant.id, target, answers, started_at, now, duration)
        else:
            rows = await save(tenant.id, target, answers, started_at, now, duration)
        if not rows:  # the unique index: another submit of this invitation got there first
            return Outcome(ALREADY_ANSWERED, target)
    reason = rows[0]["invalid_reason"]
    return Outcome("saved", target, answers, response_id=int(rows[0]["id"]),
                   is_valid=not reason, invalid_reason=reason)


_ACCEPTED = "accepted"  # _judge's go-ahead; never leaves this module


async def _judge(target: Target, fields: Mapping[str, Sequence[str]], limit_key: str | None,
                 started_at: datetime | None) -> tuple[Outcome, datetime, int]:
    """The checks before a save, on every path: the token's state, the answers read (any error:
    "invalid"), an open link's limit per client (not counted without a `limit_key`: the one-call
    path, which never stores through an open link). "accepted" with the answers to save, or the
    Outcome that ends the submit; with the time now and the seconds taken to answer."""
    now = clock.now()
    state = target.state(now)
    if state != OPEN:
        return Outcome(state, target), now, 0
    answers, errors = read_answers(target.definition, fields)
    if errors:
        return Outcome("invalid", target, answers, errors), now, 0
    if target.is_open_link and limit_key is not None and not await ratelimit.hit(
            RATE_SCOPE, limit_key, limit=OPEN_LIMIT, window=OPEN_WINDOW):
        return Outcome("rate_limited", target, answers), now, 0
    return Outcome(_ACCEPTED, target, answers), now, duration_seconds(started_at, now)


_TARGET_PG = "SELECT * FROM kefu_survey_target({}::integer, {}::text)"
_ANSWER_FN_PG = (
    "SELECT * FROM kefu_survey_answer({}::integer, {}::text, {}::integer, {}::json, {}::timestamptz, "
    "{}::timestamptz, {}::integer, {}::text, {}::text, {}::boolean)"
)


async def _answer_in_one_call(tenant: HasId, token: str, fields: Mapping[str, Sequence[str]],
                              started_at: datetime | None) -> Outcome | None:
    """PostgreSQL outside a transaction, an invitee's clean answer from a form that names its
    round, which this process knows and holds open: the answers read and judged first, then one
    call stores them. None for anything else, errors to show included: the two-call path then
    reads the token afresh."""
    hint = (fields.get(ROUND) or [""])[0]
    if not (hint.isascii() and hint.isdigit() and len(hint) <= 9):
        return None
    known = recall(tenant.id, int(hint))
    if known is None:
        return None
    judged, now, duration = await _judge(known, fields, None, started_at)
    if judged.kind != _ACCEPTED:
        return None
    outcome = await _store_pg(tenant, token, known, judged.answers, started_at, now, duration, open_ok=False)
    return outcome if outcome is not None and outcome.kind == "saved" else None


async def _submit_pg(tenant: HasId, token: str, fields: Mapping[str, Sequence[str]],
                     started_at: datetime | None, limit_key: str) -> Outcome | None:
    """PostgreSQL outside a transaction: two round trips, each one call of a function that sets
    the tenant for row-level security (migrations/surveys): what the token opens, then the
    answer stored, the invitation locked and re-checked in that call. None when the call found
    the invitation or round changed since it was read: the caller's full path then reports the
    token's real state."""
    found = await fetch_raw(SurveyInvitation, _TARGET_PG, tenant.id, token)
    if not found:
        return Outcome("not_found")
    target = remember(tenant.id, target_of(found[0]))
    judged, now, duration = await _judge(target, fields, limit_key, started_at)
    if judged.kind != _ACCEPTED:
        return judged
    return await _store_pg(tenant, token, target, judged.answers, started_at, now, duration, open_ok=True)


async def _store_pg(tenant: HasId, token: str, target: Target, answers: dict[str, Any],
                    started_at: datetime | None, now: datetime, duration: int, *,
                    open_ok: bool) -> Outcome | None:
    """kefu_survey_answer (migrations/surveys, 2026-12-07T09): the token's invitation in the
    target's round, or its open link when `open_ok` (its limit per client applied already),
    locked, re-checked and answered. None when it found something changed."""
    reason = invalid_reason(target.definition, target.validity, answers, duration_seconds=duration)
    rows = await fetch_raw(
        SurveyResponse, _ANSWER_FN_PG, tenant.id, token, target.round_id, msgspec.json.encode(answers).decode(),
        started_at, now, duration, reason, target.validity.one_per, open_ok,
    )
    outcome = rows[0]["outcome"] if rows else "changed"
    if outcome == "already_answered":
        return Outcome(ALREADY_ANSWERED, target)
    if outcome != "saved":
        return None
    row = rows[0]
    invitation = row["invitation_id"]
    saved = replace(target, invitation_id=None if invitation is None else int(invitation),
                    customer_id=row["customer_id"], building=row["building"] or "",
                    segment=row["segment"] or "", household=row["household"] or "")
    return Outcome("saved", saved, answers, response_id=int(row["response_id"]),
                   is_valid=not row["invalid_reason"], invalid_reason=row["invalid_reason"])


async def _honeypot(tenant: HasId, token: str, limit_key: str) -> Outcome:
    """A bot: count it, store nothing, and answer like a success so it learns nothing."""
    await ratelimit.hit(RATE_SCOPE, limit_key, limit=OPEN_LIMIT, window=OPEN_WINDOW)
    log.info("survey answer page: honeypot filled (tenant %s)", tenant.id)
    target = await resolve(tenant, token)
    return Outcome("saved" if target else "not_found", target)
