"""Invitations of a round, written in bulk: one INSERT per chunk with the rows as one JSON
parameter, and the notices they owe through the outbox's bulk `owe_notices` — a round of
50,000 invitees takes a few dozen statements, all in the caller's transaction.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import is_postgres
from kefu.notifications.services import OwedNotice, Recipient, owe_notices
from kefu.surveys.links import answer_url
from kefu.surveys.policy.audience import MESSAGE_CHANNELS, Invitee
from kefu.surveys.tables import SurveyInvitation

CHUNK = 5000
_FIELDS = ("customer_id", "token", "name", "phone", "email", "channel", "building", "segment", "household")
# PostgreSQL: the rows as one array per column (asyncpg sends them binary); SQLite: one JSON text.
_INSERT_PG = (
    "INSERT INTO survey_invitation (tenant_id, round_id, customer_id, token, name, phone, email,"
    " channel, building, segment, household, state, created_at)"
    " SELECT {}::integer, {}::integer, x.customer_id, x.token, x.name, x.phone, x.email, x.channel,"
    " x.building, x.segment, x.household, 'invited', {}::timestamptz"
    " FROM unnest({}::integer[], {}::text[], {}::text[], {}::text[], {}::text[], {}::text[], {}::text[],"
    " {}::text[], {}::text[]) AS x(customer_id, token, name, phone, email, channel, building, segment,"
    " household)"
    " RETURNING id, token"
)
_INSERT_SQLITE = (
    "INSERT INTO survey_invitation (tenant_id, round_id, customer_id, token, name, phone, email,"
    " channel, building, segment, household, state, created_at)"
    " SELECT {}, {}, x.value ->> '$.customer_id', x.value ->> '$.token', x.value ->> '$.name',"
    " x.value ->> '$.phone', x.value ->> '$.email', x.value ->> '$.channel',"
    " x.value ->> '$.building', x.value ->> '$.segment', x.value ->> '$.household', 'invited', {}"
    " FROM json_each({}) AS x WHERE true RETURNING id, token"
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _row(i: Invitee) -> dict[str, Any]:
    return {
        "customer_id": i.customer_id, "token": new_token(), "name": i.name[:100], "phone": i.phone[:30],
        "email": i.email[:254], "channel": i.channel, "building": i.building[:100],
        "segment": i.segment[:200], "household": i.household[:220],
    }


async def insert_invitations(tenant_id: int, round_id: int, invitees: list[Invitee]) -> list[tuple[int, Invitee, str]]:
    """Write the invitations; (id, invitee, token) for each, in the caller's transaction."""
    sql = _INSERT_PG if is_postgres() else _INSERT_SQLITE
    now = clock.now()
    made: list[tuple[int, Invitee, str]] = []
    for start in range(0, len(invitees), CHUNK):
        part = invitees[start:start + CHUNK]
        rows = [_row(i) for i in part]
        by_token = {r["token"]: i for r, i in zip(rows, part, strict=True)}
        payload: list[Any]
        if is_postgres():
            payload = [[r[f] for r in rows] for f in _FIELDS]
        else:
            payload = [json.dumps(rows, ensure_ascii=False)]
        found = await SurveyInvitation.raw(sql, tenant_id, round_id, now, *payload)
        made += [(r["id"], by_token[r["token"]], r["token"]) for r in found]
    return made


def _notice(kind: str, inv_id: int, invitee: Invitee, token: str, slug: str, shared: str,
            key_suffix: str = "") -> OwedNotice:
    # The data as JSON: the round's part serialised once, each invitee's link appended.
    url = json.dumps(answer_url(slug, token))
    return OwedNotice(
        subject_id=inv_id, channel=invitee.channel, unique_key=f"{kind}:{inv_id}{key_suffix}",
        recipient=Recipient(name=invitee.name, phone=invitee.phone, email=invitee.email, locale=invitee.locale),
        data=f'{shared}"answer_url": {url}}}',
    )


async def owe_invitations(
    tenant_id: int, slug: str, made: list[tuple[int, Invitee, str]], *, kind: str, data: dict[str, Any],
    key_suffix: str = "",
) -> list[int]:
    """One notice (`kind`: survey_invitation or survey_reminder) per invitee with a message
    channel, its data `data` plus the invitee's `answer_url`; unique per invitation (and
    `key_suffix`: ":2026-12-06" for "remind now", once a day), so owing twice writes once."""
    shared = json.dumps({k: v for k, v in data.items() if k != "answer_url"}, ensure_ascii=False)[:-1]
    shared += ", " if shared != "{" else ""
    notices = [_notice(kind, inv_id, i, token, slug, shared, key_suffix) for inv_id, i, token in made if i.channel in MESSAGE_CHANNELS]
    return await owe_notices(tenant_id=tenant_id, kind=kind, subject_type="survey_invitation", notices=notices)


async def pending_reminders(tenant_id: int, round_id: int) -> list[tuple[int, Invitee, str]]:
    """Invitees who have not answered nor been reminded, can get a message and have not
    withdrawn their consent (the 退订 link) since they were invited."""
    rows = await scoped(
        SurveyInvitation, tenant_id, SurveyInvitation.id, SurveyInvitation.token, SurveyInvitation.name,
        SurveyInvitation.phone, SurveyInvitation.email, SurveyInvitation.channel,
        SurveyInvitation.customer.locale.as_alias("locale"),
    ).where(
        SurveyInvitation.round == round_id, SurveyInvitation.state == "invited",
        SurveyInvitation.reminded_at.is_null(), SurveyInvitation.channel.is_in(list(MESSAGE_CHANNELS)),
        SurveyInvitation.customer.consent_withdrawn_at.is_null(),
    ).order_by(SurveyInvitation.id)
    return [
        (r["id"], Invitee(name=r["name"], channel=r["channel"], phone=r["phone"], email=r["email"],
                          locale=r["locale"] or "zh_CN"), r["token"])
        for r in rows
    ]


async def mark_reminded(tenant_id: int, ids: list[int], at: datetime) -> None:
    for start in range(0, len(ids), 1000):
        await SurveyInvitation.update({SurveyInvitation.reminded_at: at}).where(
            SurveyInvitation.tenant == tenant_id, SurveyInvitation.id.is_in(ids[start:start + 1000]),
            SurveyInvitation.reminded_at.is_null(),
        )
