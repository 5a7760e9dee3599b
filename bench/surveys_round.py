"""Creating a round of N invitations: kefu's own create_round + open_round (the audience query,
tokens, the invitations and one outbox notice each, in one transaction) against a raw bulk insert
of the same rows — the round row, the invitations and their notices — in one statement each
chain (INSERT … SELECT FROM unnest(…)), on one app-role connection with the tenant set.

The raw insert copies the rows kefu wrote (new tokens and unique keys, the values otherwise the
same), prepared before its timer starts.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from kefu.core import clock

RAW_ROUND = """
INSERT INTO survey_round (tenant_id, template_id, title, definition, validity, audience, opens_at,
                          closes_at, status, half_year, open_token, reminder_after_days,
                          reminders_sent_at, invited_count, created_by_id, created_at, closed_at)
SELECT tenant_id, template_id, title || ' (raw)', definition, validity, audience, opens_at, closes_at,
       'open', '', NULL, reminder_after_days, NULL, $2, NULL, now(), NULL
FROM survey_round WHERE id = $1
RETURNING id
"""

RAW_ROWS = """
WITH inv AS (
    INSERT INTO survey_invitation (tenant_id, round_id, customer_id, token, name, phone, email,
                                   channel, building, segment, household, state, created_at)
    SELECT $1, $2, x.customer_id, x.token, x.name, x.phone, x.email, x.channel, x.building,
           x.segment, x.household, 'invited', now()
    FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                $10::text[], $11::text[])
         AS x(customer_id, token, name, phone, email, channel, building, segment, household)
    RETURNING id, token
)
INSERT INTO notice (tenant_id, kind, subject_type, subject_id, recipient_name, recipient_email,
                    recipient_phone, recipient_address, locale, channel, data, due_on, unique_key,
                    state, attempts, next_attempt_at, last_error, rendered_subject, rendered_body,
                    created_at)
SELECT $1, n.kind, n.subject_type, inv.id, n.recipient_name, n.recipient_email, n.recipient_phone,
       n.recipient_address, n.locale, n.channel, n.data::json, NULL, n.unique_key, 'pending', 0,
       now(), '', '', '', now()
FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
            $18::text[], $19::text[], $20::text[], $21::text[], $22::text[])
     AS n(token, kind, subject_type, recipient_name, recipient_email, recipient_phone,
          recipient_address, locale, channel, data, unique_key)
JOIN inv ON inv.token = n.token
"""

APP_INVITATIONS = """
SELECT id, customer_id, token, name, phone, email, channel, building, segment, household
FROM survey_invitation WHERE round_id = $1 ORDER BY id
"""
APP_NOTICES = """
SELECT n.subject_id, n.kind, n.subject_type, n.recipient_name, n.recipient_email, n.recipient_phone,
       n.recipient_address, n.locale, n.channel, n.data::text AS data, n.unique_key
FROM notice n JOIN survey_invitation i ON i.id = n.subject_id AND i.round_id = $1
WHERE n.tenant_id = $2 AND n.subject_type = 'survey_invitation'
"""


@dataclass(frozen=True)
class RoundTiming:
    app_s: list[float]
    raw_s: list[float]
    invitations: int
    notices: int
    app_round_id: int  # the last app round (open: the submissions answer its invitations)
    raw_round_id: int  # the last raw round (the bare endpoint stores into it)


async def _app_round(tenant_id: int, template_id: int, n: int, rep: int) -> tuple[float, int, int]:
    from kefu.surveys.policy.audience import Audience
    from kefu.surveys.services.rounds import RoundInput, create_round, open_round
    from kefu.tenancy.tables import Tenant

    tenant = await Tenant.objects().where(Tenant.id == tenant_id).first()
    now = clock.now()
    data = RoundInput(
        template_id=template_id, title=f"基准轮次 {rep + 1}", audience=Audience(kind="all"),
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=14), reminder_after_days=7,
    )
    started = time.perf_counter()
    row = await create_round(tenant, None, data)
    opened = await open_round(tenant, row.id)
    took = time.perf_counter() - started
    if opened.invited != n:
        raise RuntimeError(f"open_round invited {opened.invited}, expected {n}")
    return took, row.id, len(opened.notices)


async def _raw_round(app_url: str, owner_url: str, tenant_id: int, app_round_id: int) -> tuple[float, int, int, int]:
    owner = await asyncpg.connect(owner_url)
    try:
        invitations = await owner.fetch(APP_INVITATIONS, app_round_id)
        notices = await owner.fetch(APP_NOTICES, app_round_id, tenant_id)
    finally:
        await owner.close()
    fresh = {r["id"]: secrets.token_urlsafe(24) for r in invitations}
    inv_args = [
        [r["customer_id"] for r in invitations], [fresh[r["id"]] for r in invitations],
        *([r[c] for r in invitations] for c in ("name", "phone", "email", "channel", "building", "segment", "household")),
    ]
    notice_args = [
        [fresh[r["subject_id"]] for r in notices],
        *([r[c] for r in notices] for c in ("kind", "subject_type", "recipient_name", "recipient_email",
                                            "recipient_phone", "recipient_address", "locale", "channel", "data")),
        [f"{r['unique_key']}:raw:{fresh[r['subject_id']][:8]}" for r in notices],
    ]
    conn = await asyncpg.connect(app_url)
    try:
        started = time.perf_counter()
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            raw_round_id = await conn.fetchval(RAW_ROUND, app_round_id, len(invitations))
            await conn.execute(RAW_ROWS, tenant_id, raw_round_id, *inv_args, *notice_args)
        took = time.perf_counter() - started
    finally:
        await conn.close()
    return took, raw_round_id, len(invitations), len(notices)


async def measure(app_url: str, owner_url: str, tenant_id: int, template_id: int, n: int,
                  repeats: int, say) -> RoundTiming:
    """App then raw, `repeats` times (each app round invites the same N customers afresh)."""
    app_s: list[float] = []
    raw_s: list[float] = []
    app_round = raw_round = 0
    notices = 0
    for rep in range(repeats):
        took, app_round, notices = await _app_round(tenant_id, template_id, n, rep)
        app_s.append(took)
        say(f"  round {rep + 1}: create_round + open_round, {n:,} invitations and {notices:,} notices: {took:.2f} s")
        took, raw_round, inv, raw_notices = await _raw_round(app_url, owner_url, tenant_id, app_round)
        if inv != n or raw_notices != notices:
            raise RuntimeError(f"the raw insert copied {inv} invitations / {raw_notices} notices, expected {n} / {notices}")
        raw_s.append(took)
        say(f"  round {rep + 1}: raw bulk insert of the same rows: {took:.2f} s")
    return RoundTiming(app_s, raw_s, n, notices, app_round, raw_round)
