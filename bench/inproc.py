"""Measurements that run kefu in this process (as the app role, through Piccolo's pool): the
worklist's own SQL captured and explained, and the reminder sweep against its raw SQL."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from bench.plans import Captured, PlanSummary, StopCapture, capture, explain, time_raw

RAW_REPEAT = 20
STEADY_RUNS = 20  # more runs once nothing is due (as many as the raw SQL's): a worker's pooled connection after a while


def _is_worklist_query(sql: str) -> bool:
    return sql.startswith("SELECT") and 'FROM "complaint"' in sql


def _statement(sql: str) -> str:
    """'SELECT complaint', 'INSERT notice' …: the verb and the first table named."""
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
    return f"{verb} {table.group(1) if table else '?'}"


def _is_sweep_query(sql: str) -> bool:
    return sql.startswith("SELECT") and 'FROM "complaint"' in sql and "next_remind_on" in sql


async def _context(slug: str, staff_email: str) -> Any:
    from kefu.accounts.tables import User
    from kefu.core.packs import get_pack
    from kefu.core.tenancy import TenantContext
    from kefu.tenancy.tables import Membership, Tenant

    tenant = await Tenant.objects().where(Tenant.slug == slug).first()
    user = await User.objects().where(User.email == staff_email).first()
    membership = await Membership.objects().where(
        Membership.tenant == tenant.id, Membership.user == user.id
    ).first()
    pack = get_pack(tenant.kind)
    return TenantContext(
        tenant=tenant, user=user, membership=membership, pack=pack,
        permissions=pack.permissions_of(membership.positions_list()),
    )


@dataclass
class WorklistPlans:
    page_sql: str
    page: PlanSummary
    count: PlanSummary | None
    page_generic: PlanSummary
    count_generic: PlanSummary | None


async def worklist_plans(conn: asyncpg.Connection, slug: str, staff_email: str, query: dict[str, str]) -> WorklistPlans:
    """Run the worklist service once for `query` (its filters and page), capture the SQL it
    sends and EXPLAIN ANALYZE each statement; the page query also with a generic plan (what a
    prepared statement may switch to after five runs)."""
    from kefu.complaints.queries import worklist
    from kefu.db import current_engine, transaction

    ctx = await _context(slug, staff_email)
    with capture(current_engine(), _is_worklist_query) as found:
        async with transaction(ctx.tenant_id, write=False):
            await worklist.worklist(ctx, worklist.parse_filters(query), query.get("page"))
    page_q = found[0]
    count_q = found[1] if len(found) > 1 else None
    return WorklistPlans(
        page_sql=page_q.sql,
        page=await explain(conn, ctx.tenant_id, page_q),
        count=await explain(conn, ctx.tenant_id, count_q) if count_q else None,
        page_generic=await explain(conn, ctx.tenant_id, page_q, generic=True),
        count_generic=await explain(conn, ctx.tenant_id, count_q, generic=True) if count_q else None,
    )


@dataclass
class SweepRun:
    seconds: float
    looked_at: int
    reminders: int
    notices: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "ms": round(self.seconds * 1000, 2), "looked_at": self.looked_at,
            "reminders_created": self.reminders, "notices_created": self.notices,
        }


@dataclass
class SweepResult:
    sql: str
    due_before: int
    raw_due_ms: float  # the raw SQL while reminders are due: whole tenant transaction
    raw_due_query_ms: float  # … the query alone
    raw_due_rows: int
    raw_after_ms: float  # the raw SQL once nothing is due
    raw_after_query_ms: float
    plan_due: PlanSummary
    plan_generic: PlanSummary
    first: SweepRun
    second: SweepRun
    steady: list[SweepRun]
    run1_statements: list[tuple[str, int, float]]  # (statement, count, total ms), costliest first


async def _counts(conn: asyncpg.Connection, tenant_id: int) -> tuple[int, int]:
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
        reminders = await conn.fetchval("SELECT count(*) FROM complaint_reminder WHERE tenant_id = $1", tenant_id)
        notices = await conn.fetchval("SELECT count(*) FROM notice WHERE tenant_id = $1", tenant_id)
    return reminders, notices


async def sweep(conn: asyncpg.Connection, slug: str, today: date) -> SweepResult:
    """The sweep's query, captured without running (StopCapture rolls its transaction back);
    timed raw and explained; then `remind_tenant` twice, each from no open transaction (it
    opens its own per batch); then the raw query again, now that nothing is due."""
    from kefu.complaints.services.reminders import remind_tenant
    from kefu.db import current_engine
    from kefu.tenancy.tables import Tenant

    tenant = await Tenant.objects().where(Tenant.slug == slug).first()
    engine = current_engine()
    with capture(engine, _is_sweep_query, stop=True) as found:
        try:
            await remind_tenant(tenant)
        except StopCapture:
            pass
    if not found:
        raise RuntimeError("the reminder sweep sent no SELECT … next_remind_on query")
    q: Captured = found[0]
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant.id))
        due_before = await conn.fetchval(
            "SELECT count(*) FROM complaint WHERE tenant_id = $1 AND next_remind_on <= $2",
            tenant.id, today,
        )
    raw_due, raw_due_q, raw_rows = await time_raw(conn, tenant.id, q, RAW_REPEAT)
    plan_due = await explain(conn, tenant.id, q)

    plan_generic = await explain(conn, tenant.id, q, generic=True)

    runs = []
    statements: dict[str, list[float]] = defaultdict(list)
    for i in range(2):
        r0, n0 = await _counts(conn, tenant.id)
        with capture(engine, lambda sql, first=(i == 0): first) as sent:
            started = time.perf_counter()
            looked = await remind_tenant(tenant)
            took = time.perf_counter() - started
        for q_sent in sent:
            statements[_statement(q_sent.sql)].append(q_sent.ms)
        r1, n1 = await _counts(conn, tenant.id)
        runs.append(SweepRun(took, looked, r1 - r0, n1 - n0))
    # The steady runs back to back, as time_raw runs the raw SQL: counting between them put a
    # cold start (another connection's work) before every timed sweep and none before the raw
    # query's. What they created is counted over the whole block.
    r0, n0 = await _counts(conn, tenant.id)
    steady = []
    for _ in range(STEADY_RUNS):
        started = time.perf_counter()
        looked = await remind_tenant(tenant)
        steady.append((time.perf_counter() - started, looked))
    r1, n1 = await _counts(conn, tenant.id)
    runs += [SweepRun(took, looked, 0, 0) for took, looked in steady]
    runs[-1] = SweepRun(runs[-1].seconds, runs[-1].looked_at, r1 - r0, n1 - n0)
    raw_after, raw_after_q, _ = await time_raw(conn, tenant.id, q, RAW_REPEAT)
    return SweepResult(
        sql=q.sql, due_before=due_before, raw_due_ms=raw_due, raw_due_query_ms=raw_due_q,
        raw_due_rows=raw_rows, raw_after_ms=raw_after, raw_after_query_ms=raw_after_q,
        plan_due=plan_due, plan_generic=plan_generic, first=runs[0], second=runs[1],
        steady=runs[2:],
        run1_statements=sorted(
            ((k, len(v), sum(v)) for k, v in statements.items()), key=lambda x: -x[2]
        ),
    )
