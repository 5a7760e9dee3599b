"""The bare answer endpoint: the floor under the survey answer page, served by the same Litestar
process (same middleware: request id, session, CSRF).

It reads the same form body and stores it as the same answers JSON with ONE raw asyncpg
statement (the tenant set for row-level security inside that statement), into the same
survey_response table. It checks nothing: no token lookup, no validation, no validity rules,
no one-answer-per-invitation lock, no page. What the real page spends beyond this is kefu's.
"""

from __future__ import annotations

import json

from litestar import Request, Response, post

from bench import ceiling

PATH = "/bench/bare/{tenant_id:int}/{round_id:int}/s/{token:str}"

# set_config in a CTE the INSERT reads from: one statement, one implicit transaction, and the
# tenant is set (transaction-locally) before the row's RLS WITH CHECK runs.
INSERT = """
WITH t AS (SELECT set_config('app.tenant_id', $1::text, true) AS tenant)
INSERT INTO survey_response (tenant_id, round_id, invitation_id, answers, started_at, submitted_at,
                             duration_seconds, is_valid, invalid_reason, building, segment,
                             household, via)
SELECT t.tenant::bigint, $2, NULL, $3::json, NULL, now(), 0, true, '', '', '', '', 'bare' FROM t
RETURNING id
"""


async def _no_user(request: Request) -> None:
    """Like the public page for a visitor: no user to load."""


@post(PATH, name="bench.bare_answer", before_request=_no_user, include_in_schema=False, status_code=201)
async def bare_answer(request: Request, tenant_id: int, round_id: int, token: str) -> Response:
    form = await request.form()
    answers = {k: [v for v in form.getall(k) if isinstance(v, str)] for k in form.keys()}
    pool = ceiling._Pool.pool
    assert pool is not None
    async with pool.acquire() as conn:
        row = await conn.fetchrow(INSERT, str(tenant_id), round_id, json.dumps(answers, ensure_ascii=False))
    return Response(content=f"stored {row['id']}", media_type="text/plain", status_code=201)
