"""`python -m bench.callbacks`: creating a callback campaign of N tasks (default 100,000) from an
uploaded list, through kefu's own create_campaign (the campaign row with its target, the
conditional UPDATE that opens it, the tasks in parameterised multi-row INSERTs of
kefu.core.imports.BATCH rows, the audit rows; one transaction) ÷ a raw bulk insert of the same
task rows (one INSERT … SELECT FROM unnest(…) on one app-role connection with the tenant set),
measured in the same run. PostgreSQL only, in a throwaway database (bench/database.py). The last
line printed is the JSON of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import timedelta

import asyncpg

from bench.database import BenchDatabase
from bench.options import DEFAULT_ADMIN_URL

RAW_TASKS = """
INSERT INTO callback_task (tenant_id, campaign_id, kind, origin, unique_key, customer_name, customer_phone,
                           reference, subject_type, methods, method_index, method, position, attempt_limit,
                           failed_attempts, status, opens_on, due_on, last_outcome, product, created_at)
SELECT $1, $2, $3, 'campaign', x.unique_key, x.name, x.phone, x.reference, '', $4::json, 0, $5, $6, $7, 0,
       'open', $8, $9, '', '', now()
FROM unnest($10::text[], $11::text[], $12::text[], $13::text[]) AS x(unique_key, name, phone, reference)
"""


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.callbacks", description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("KEFU_BENCH_DATABASE_URL", DEFAULT_ADMIN_URL))
    p.add_argument("--tasks", type=int, default=100_000, help="tasks of the campaign (default %(default)s)")
    p.add_argument("--repeats", type=int, default=2, help="app and raw creations each (default %(default)s)")
    return p.parse_args(argv)


def people(n: int) -> list[dict[str, object]]:
    return [{"name": f"客户{i:06d}", "phone": f"139{i:08d}", "reference": f"P-{i:07d}", "customer_id": None}
            for i in range(n)]


async def _context():  # the acting manager: a member of a fresh insurer, through kefu's services
    from kefu.accounts.services import create_user
    from kefu.core.packs import get_pack
    from kefu.core.scoping import scoped_objects
    from kefu.core.tenancy import TenantContext
    from kefu.db import transaction
    from kefu.tenancy.services import add_member, create_tenant
    from kefu.tenancy.tables import Membership

    tenant = await create_tenant(slug="bench-callbacks", name="基准保险公司", kind="insurance")
    user = await create_user(email="bench-callbacks@example.test", name="基准 管理员", password="bench-" + "x" * 12)
    await add_member(tenant=tenant, user=user, positions=["cs_head"])
    async with transaction(tenant.id, write=False):
        membership = await scoped_objects(Membership, tenant.id).where(Membership.user == user.id).first()
    pack = get_pack("insurance")
    return TenantContext(tenant=tenant, user=user, membership=membership, pack=pack,
                         permissions=pack.permissions_of(membership.held_positions()))


async def _app(ctx, rows: list[dict[str, object]], rep: int) -> tuple[float, int, int]:
    from kefu.callbacks import schemas, services
    from kefu.callbacks.policy.pack import callbacks_for
    from kefu.core import clock
    from kefu.core.forms import Form

    today = clock.today_in(ctx.tenant.timezone)
    form = Form({"title": f"基准回访 {rep + 1}", "kind": "service_satisfaction", "window_start": today.isoformat(),
                 "window_end": (today + timedelta(days=30)).isoformat(), "target": "list",
                 "questions": "您对服务满意吗？"}, {"methods": ["phone", "online", "onsite"]})
    data = schemas.campaign_input(form, callbacks_for("insurance"))
    started = time.perf_counter()
    campaign = await services.create_campaign(ctx, data, rows)
    took = time.perf_counter() - started
    from kefu.callbacks.tables import CallbackTask
    from kefu.core.scoping import scoped_count
    from kefu.db import transaction

    async with transaction(ctx.tenant_id, write=False):
        stored = await scoped_count(CallbackTask, ctx.tenant_id).where(CallbackTask.campaign == campaign.id)
    if campaign.task_count != len(rows) or stored != len(rows):
        raise RuntimeError(f"create_campaign made {campaign.task_count} ({stored} stored), expected {len(rows)}")
    return took, campaign.id, stored


async def _raw(app_url: str, tenant_id: int, campaign_id: int, rows: list[dict[str, object]], rep: int) -> float:
    from kefu.core import clock

    today = clock.today_in("Asia/Shanghai")
    args = [[f"raw:{rep}:{i}" for i in range(len(rows))], [str(r["name"]) for r in rows],
            [str(r["phone"]) for r in rows], [str(r["reference"]) for r in rows]]
    conn = await asyncpg.connect(app_url)
    try:
        started = time.perf_counter()
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            status = await conn.execute(RAW_TASKS, tenant_id, campaign_id, "service_satisfaction",
                                        json.dumps(["phone", "online", "onsite"]), "phone", "agent", 3, today,
                                        today + timedelta(days=30), *args)
        took = time.perf_counter() - started
    finally:
        await conn.close()
    if status != f"INSERT 0 {len(rows)}":
        raise RuntimeError(f"the raw insert answered {status}")
    return took


async def _run(opts: argparse.Namespace) -> int:
    db = BenchDatabase(opts.database_url)
    say(f"creating database {db.name}")
    await db.create()
    try:
        env = db.kefu_env()
        for key in [k for k in os.environ if k.startswith("KEFU_")]:
            del os.environ[key]
        os.environ.update(env)  # before kefu reads its settings
        say("migrating as the owner (python -m kefu.cli migrate)")
        db.migrate(env)
        from kefu.db import current_engine

        engine = current_engine()
        await engine.start_connection_pool(min_size=1, max_size=4)
        app_s: list[float] = []
        raw_s: list[float] = []
        try:
            ctx = await _context()
            rows = people(opts.tasks)
            for rep in range(opts.repeats):
                took, campaign_id, made = await _app(ctx, rows, rep)
                app_s.append(took)
                say(f"  run {rep + 1}: create_campaign of {made:,} tasks: {took:.2f} s")
                took = await _raw(db.app_url, ctx.tenant_id, campaign_id, rows, rep)
                raw_s.append(took)
                say(f"  run {rep + 1}: raw bulk insert of the same rows: {took:.2f} s")
        finally:
            await engine.close_connection_pool()
        app, raw = statistics.median(app_s), statistics.median(raw_s)
        result = {"campaign": {"tasks": opts.tasks, "repeats": opts.repeats, "app_s": [round(s, 3) for s in app_s],
                               "raw_s": [round(s, 3) for s in raw_s],
                               "app_vs_raw_median": round(app / raw, 2) if raw else None}}
        print(f"campaign of {opts.tasks:,} tasks: kefu {app:.2f} s, raw bulk insert {raw:.2f} s, "
              f"ratio {result['campaign']['app_vs_raw_median']}")
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    finally:
        await db.drop()
        say(f"dropped database {db.name}")


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(_run(parse(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
