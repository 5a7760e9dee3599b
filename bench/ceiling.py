"""The hand-written ceiling of the staff worklist: the same page with the ORM and the framework's
per-request plumbing taken out, served by the same Litestar process as the real page.

What it still does, because the page cannot do without it: the session (the app's own
middleware), the user, tenant and membership check and the permission, the tenant set for
row-level security inside a read-only transaction, the worklist's page query and its capped
count (the SQL Piccolo builds for `status=…&page=…`, written out by hand), and the same
template rendered with the same helpers. What it does by hand: one query for user + tenant +
membership + the tenant switcher's list; BEGIN and set_config in one round trip; a raw asyncpg
pool without the reset query on release (safe here: the tenant is set with is_local=true and
nothing else touches session state).

Only the filters the bench asks for are written by hand (status, page); any other filter is a
400, so the ceiling can never silently answer a different question than the page.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import asyncpg
from litestar import Request, Response, get
from litestar.exceptions import (
    ClientException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)

from kefu import i18n
from kefu.complaints.labels import helpers
from kefu.complaints.policy import OPEN_STATUSES, TERMINAL_STATUSES
from kefu.complaints.queries import worklist
from kefu.complaints.services._base import tenant_policy
from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.paging import page_number
from kefu.core.tenancy import TenantContext
from kefu.core.web import render
from kefu.settings import get_settings
from kefu.tenancy.services import MembershipView

PATH = "/bench/ceiling/t/{slug:str}/complaints"

AUTH_SQL = """
SELECT u.id AS user_id, u.name AS user_name, u.email, u.locale, u.is_superuser,
       t.id AS tenant_id, t.slug, t.name AS tenant_name, t.kind, t.timezone, t.locale AS tenant_locale,
       t.settings, m.positions,
       (SELECT json_agg(json_build_object('slug', t2.slug, 'name', t2.name, 'kind', t2.kind,
                                          'positions', m2.positions) ORDER BY t2.name)
          FROM membership m2 JOIN tenant t2 ON t2.id = m2.tenant_id
         WHERE m2.user_id = u.id AND m2.is_active AND t2.is_active) AS memberships
FROM kefu_user u
JOIN membership m ON m.user_id = u.id AND m.is_active
JOIN tenant t ON t.id = m.tenant_id AND t.is_active
WHERE u.id = $1 AND u.is_active AND t.slug = $2
"""

_SELECT = """
SELECT c.id, c.number, c.status, c.channel, c.received_on, c.complainant_name,
       c.complainant_phone, c.subject, c.category, c.next_due, c.next_due_kind,
       c.deadlines_provisional, c.deadlines_moved_on, c.is_major, c.paused_since, u.name AS handler_name
FROM complaint c LEFT JOIN kefu_user u ON u.id = c.handler_id
WHERE c.tenant_id = $1{status}
ORDER BY {order}
LIMIT {limit} OFFSET {offset}
"""
_COUNT = "SELECT count(*) FROM (SELECT c.id FROM complaint c WHERE c.tenant_id = $1{status} LIMIT {limit}) AS capped"
BY_DEADLINE = "c.next_due ASC NULLS LAST, c.id ASC"
BY_RECEIPT = "c.received_on DESC, c.id DESC"


def queries(status: str, number: int) -> tuple[str, str, list[str]]:
    """(page SQL, count SQL, status arguments) for the worklist's status filter and page; like
    Piccolo's, LIMIT and OFFSET are literals and the values are bind parameters."""
    statuses = list(OPEN_STATUSES) if status == "open" else [] if status == "all" else [status]
    where = ""
    if statuses:
        marks = ", ".join(f"${i}" for i in range(2, 2 + len(statuses)))
        where = f" AND c.status IN ({marks})"
    order = BY_RECEIPT if status in TERMINAL_STATUSES else BY_DEADLINE
    size = worklist.PAGE_SIZE
    page = _SELECT.format(status=where, order=order, limit=size + 1, offset=(number - 1) * size)
    count = _COUNT.format(status=where, limit=worklist.COUNT_CAP + 1)
    return page, count, statuses


async def _no_reset(connection: asyncpg.Connection) -> None:
    """Nothing to reset: the tenant was set transaction-locally and the transaction is over."""


class _Pool:
    pool: asyncpg.Pool | None = None


async def start_pool() -> None:
    dsn = get_settings().database.dsn
    _Pool.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=20, reset=_no_reset)


async def close_pool() -> None:
    if _Pool.pool is not None:
        await _Pool.pool.close()
        _Pool.pool = None


async def _no_user(request: Request) -> None:
    """Replaces the app's load_user for this route: the ceiling loads the user itself."""


@get(PATH, name="bench.ceiling", before_request=_no_user, include_in_schema=False)
async def ceiling(request: Request, slug: str) -> Response:
    user_id = request.session.get("user_id") if "session" in request.scope else None
    if not isinstance(user_id, int):
        raise NotAuthorizedException()
    params = request.query_params
    if any(params.get(k) for k in ("channel", "handler", "due", "q")):
        raise ClientException(detail="the ceiling is written for the status filter and the page only")
    filters = worklist.parse_filters(params)
    number = page_number(params.get("page"))
    page_sql, count_sql, statuses = queries(filters.status, number)
    assert _Pool.pool is not None
    async with _Pool.pool.acquire() as conn:
        auth = await conn.fetchrow(AUTH_SQL, user_id, slug)
        if auth is None:
            raise NotFoundException()
        i18n.set_locale(auth["locale"])
        pack = get_pack(auth["kind"])
        positions = json.loads(auth["positions"])
        permissions = pack.permissions_of(positions)
        if "complaints.view" not in permissions:
            raise PermissionDeniedException(detail="permission:complaints.view")
        tenant_id = int(auth["tenant_id"])
        # BEGIN and the tenant in one round trip (simple protocol; the id is an int).
        await conn.execute(
            f"BEGIN READ ONLY; SELECT set_config('app.tenant_id', '{tenant_id}', true)"
        )
        try:
            rows = await conn.fetch(page_sql, tenant_id, *statuses)
            has_next = len(rows) > worklist.PAGE_SIZE
            page_rows = [dict(r) for r in rows[: worklist.PAGE_SIZE]]
            if number == 1 and not has_next:
                total = len(page_rows)
            else:
                total = await conn.fetchval(count_sql, tenant_id, *statuses)
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
    tenant = SimpleNamespace(
        id=tenant_id, slug=auth["slug"], name=auth["tenant_name"], kind=auth["kind"],
        timezone=auth["timezone"], locale=auth["tenant_locale"], settings=auth["settings"],
        is_active=True,
    )
    user = SimpleNamespace(
        id=auth["user_id"], name=auth["user_name"], email=auth["email"], locale=auth["locale"],
        is_superuser=auth["is_superuser"], is_active=True,
    )
    memberships = [
        MembershipView(m["slug"], m["name"], m["kind"], list(m["positions"] or []))
        for m in json.loads(auth["memberships"] or "[]")
    ]
    ctx = TenantContext(
        tenant=tenant, user=user, membership=SimpleNamespace(positions=positions),  # type: ignore[arg-type]
        pack=pack, permissions=permissions,
    )
    request.scope["kefu_user"] = user  # type: ignore[typeddict-unknown-key]
    request.scope["kefu_memberships"] = memberships  # type: ignore[typeddict-unknown-key]
    request.scope["kefu_tenant_ctx"] = ctx  # type: ignore[typeddict-unknown-key]
    page = worklist.WorkPage(
        page_rows, number, worklist.PAGE_SIZE, has_next, total, total > worklist.COUNT_CAP
    )
    today = clock.today_in(tenant.timezone)
    context = helpers(tenant_policy(tenant), today) | {"page": page, "filters": filters}  # type: ignore[arg-type]
    return render(request, "complaints/list.html", context, fragment="results")
