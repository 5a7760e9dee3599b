"""What a token opens within one tenant (the public answer page's read): an invitation's round
and invitation, or a round's open link. A handful of columns by raw SQL, no ORM objects: this is
the hot path (`make bench`). When submitting, the invitation is read FOR UPDATE (PostgreSQL)."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from kefu.core.tenancy import HasId
from kefu.db import is_postgres, transaction
from kefu.surveys.policy.answering import Target, plausible_token
from kefu.surveys.policy.definition import (
    Definition,
    ValidityRules,
    parse_definition,
    parse_validity,
)
from kefu.surveys.tables import SurveyInvitation, SurveyRound

_BY_INVITATION = (
    "SELECT r.id AS round_id, r.title, r.definition, r.validity, r.opens_at, r.closes_at, r.status, "
    "i.id AS invitation_id, i.state, i.customer_id, i.building, i.segment, i.household "
    "FROM survey_invitation i JOIN survey_round r ON r.id = i.round_id AND r.tenant_id = i.tenant_id "
    "JOIN tenant t ON t.id = i.tenant_id AND t.is_active "
    "WHERE i.tenant_id = {} AND i.token = {}"
)
_BY_OPEN_TOKEN = (
    "SELECT r.id AS round_id, r.title, r.definition, r.validity, r.opens_at, r.closes_at, r.status "
    "FROM survey_round r JOIN tenant t ON t.id = r.tenant_id AND t.is_active "
    "WHERE r.tenant_id = {} AND r.open_token = {}"
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


def target_of(row: Mapping[str, Any]) -> Target:
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


# PostgreSQL, when submitting: the invitation locked, and in the same round trip the lock that
# serialises answers of one customer or household (the template's one_per rule), so that the
# save's duplicate check, a later statement, sees an answer committed by a concurrent submit.
_LOCK_ONE_PER_PG = (
    ", CASE WHEN r.validity::jsonb ->> 'one_per' = 'household' AND i.household <> '' "
    "THEN pg_advisory_xact_lock(hashtext('survey:' || r.id || ':household:' || i.household)) "
    "WHEN r.validity::jsonb ->> 'one_per' = 'customer' AND i.customer_id IS NOT NULL "
    "THEN pg_advisory_xact_lock(hashtext('survey:' || r.id || ':customer:' || i.customer_id)) END AS one_per_lock "
)


async def find(tenant_id: int, token: str, *, lock: bool) -> Target | None:
    """What the token opens in the tenant, if the tenant is active (public_tenant_ref's callers
    rely on that check)."""
    sql = _BY_INVITATION
    if lock and is_postgres():
        sql = sql.replace(" FROM survey_invitation i", _LOCK_ONE_PER_PG + "FROM survey_invitation i", 1) + " FOR UPDATE OF i"
    rows = await SurveyInvitation.raw(sql, tenant_id, token)
    if not rows:
        rows = await SurveyRound.raw(_BY_OPEN_TOKEN, tenant_id, token)
    return remember(tenant_id, target_of(rows[0])) if rows else None


# The rounds this process has served, by (tenant, round): an answer posted from a form that names
# its round is read and judged against these before any query (services.answering). A round's
# definition and validity never change once it exists; its status and dates do, so a recalled
# round only ever says "open, go on": the one-call save re-checks them under lock.
_ROUNDS: OrderedDict[tuple[int, int], Target] = OrderedDict()
_ROUNDS_KEPT = 512


def remember(tenant_id: int, target: Target) -> Target:
    key = (tenant_id, target.round_id)
    _ROUNDS[key] = replace(target, invitation_id=None, invitation_state="", customer_id=None,
                           building="", segment="", household="")
    _ROUNDS.move_to_end(key)
    if len(_ROUNDS) > _ROUNDS_KEPT:
        _ROUNDS.popitem(last=False)
    return target


def recall(tenant_id: int, round_id: int) -> Target | None:
    """The round as this process last read it (no invitation), or None."""
    return _ROUNDS.get((tenant_id, round_id))


async def resolve(tenant: HasId, token: str) -> Target | None:
    """The round (and invitation) a token opens in this tenant; None for an unknown token or
    another tenant's."""
    if not plausible_token(token):
        return None
    async with transaction(tenant.id, write=False):
        return await find(tenant.id, token, lock=False)
