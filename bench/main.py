"""The bench run: database, load, served app, HTTP series, plans, sweep, report."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import client, report
from bench.database import BenchDatabase
from bench.options import Options, parse

QUERY = {"status": "open", "page": "2"}
MARKER = b'id="worklist"'


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _query_string() -> str:
    return "&".join(f"{k}={v}" for k, v in QUERY.items())


async def _signin(base_url: str, email: str, password: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base_url, follow_redirects=False, timeout=30) as http:
        await http.get("/signin")
        token = http.cookies.get("kefu_csrf") or ""
        response = await http.post(
            "/signin", data={"email": email, "password": password}, headers={"x-csrftoken": token}
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in of {email} failed: {response.status_code} {response.text[:300]}")
        cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    return {"Cookie": cookie}


def _rows_of(html: str) -> tuple[list[str], str]:
    ids = re.findall(r'<tr data-id="(\d+)"', html)
    count = re.search(r'id="worklist-count">([^<]*)<', html)
    return ids, count.group(1) if count else ""


async def _same_page(base_url: str, headers: dict[str, str], app_path: str, ceiling_path: str) -> int:
    """The ceiling must show exactly the page's rows and count; returns the row count."""
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:
        app = await http.get(app_path)
        ceiling = await http.get(ceiling_path)
    for name, r in (("page", app), ("ceiling", ceiling)):
        if r.status_code != 200 or MARKER.decode() not in r.text:
            raise RuntimeError(f"{name} {r.request.url} answered {r.status_code}: {r.text[:500]}")
    if _rows_of(app.text) != _rows_of(ceiling.text):
        raise RuntimeError(
            f"the ceiling does not show the page's rows:\n{_rows_of(app.text)}\n{_rows_of(ceiling.text)}"
        )
    return len(_rows_of(app.text)[0])


async def _http(
    opts: Options, env: dict[str, str], loaded: Any, password: str, log_dir: Path
) -> dict[str, Any]:
    from bench.server import Server

    server = Server(env, log_dir / "server.log")
    say(f"serving the app (uvicorn subprocess) on {server.base_url}")
    server.start()
    try:
        targets = []
        rows = {}
        for label, tenant in (("small", loaded.small), ("big", loaded.big)):
            headers = await _signin(server.base_url, tenant.staff_email, password)
            app_path = f"/t/{tenant.slug}/complaints?{_query_string()}"
            ceiling_path = f"/bench/ceiling/t/{tenant.slug}/complaints?{_query_string()}"
            rows[label] = await _same_page(server.base_url, headers, app_path, ceiling_path)
            targets += [(f"page_{label}", app_path, headers), (f"ceiling_{label}", ceiling_path, headers)]
        say(f"  the ceiling renders the page's own rows (1k tenant: {rows['small']}, 1M tenant: {rows['big']})")
        series: dict[tuple[str, int], client.Series] = {}
        halves = [opts.requests - opts.requests // 2, opts.requests // 2]
        for conc in opts.concurrency:
            for rnd, count in enumerate(halves):
                if count == 0:
                    continue
                order = targets if rnd == 0 else list(reversed(targets))
                for name, path, headers in order:
                    say(f"  c={conc} round {rnd + 1}: {name} × {count}")
                    s = await client.run(
                        "127.0.0.1", server.port, path, headers, requests=count,
                        warmup=opts.warmup if rnd == 0 else max(1, opts.warmup // 5),
                        concurrency=conc, marker=MARKER, name=name,
                        budget_s=opts.series_seconds / len([h for h in halves if h]),
                    )
                    say(f"    {s.summary()}")
                    key = (name, conc)
                    series[key] = series[key].merged(s) if key in series else s
    except BaseException:
        log = (log_dir / "server.log").read_text(errors="replace")[-4000:]
        say(f"the server's log (last lines):\n{log}")
        raise
    finally:
        server.stop()
    return {"series": series, "rows": rows}


async def _inproc(opts: Options, db: BenchDatabase, loaded: Any, today: Any) -> dict[str, Any]:
    from bench import inproc
    from kefu.db import current_engine, start_db_pool

    engine = current_engine()
    # The pool as `kefu worker` starts it (kefu.db.start_db_pool: no reset round trip on
    # release), so the sweep is measured as the worker runs it.
    await start_db_pool(engine, min_size=1, max_size=4)
    conn = await asyncpg.connect(db.app_url)
    try:
        plans = {}
        for label, tenant in (("small", loaded.small), ("big", loaded.big)):
            say(f"explaining the worklist's SQL for the {label} tenant")
            plans[label] = await inproc.worklist_plans(conn, tenant.slug, tenant.staff_email, QUERY)
        say(f"reminder sweep on {loaded.big.slug} (run twice)")
        sweep = await inproc.sweep(conn, loaded.big.slug, today)
    finally:
        await conn.close()
        await engine.close_connection_pool()
    return {"plans": plans, "sweep": sweep}


async def _run(opts: Options) -> int:
    db = BenchDatabase(opts.admin_url)
    say(f"creating database {db.name}")
    await db.create()
    try:
        env = db.kefu_env()
        for key in [k for k in os.environ if k.startswith("KEFU_")]:
            del os.environ[key]
        os.environ.update(env)  # before kefu reads its settings
        say("migrating as the owner (python -m kefu.cli migrate)")
        started = time.perf_counter()
        db.migrate(env)
        migrate_s = time.perf_counter() - started

        from bench.load import STAFF_PASSWORD, Loader
        from kefu.accounts.passwords import hash_password
        from kefu.complaints.policy import policy_for
        from kefu.core import clock

        today = clock.today_in("Asia/Shanghai")
        packs = {}
        for kind in ("insurance", "property"):
            policy = policy_for(kind)
            packs[kind] = {
                "prefix": policy.number_prefix, "days_before": policy.reminder_days_before,
                "categories": [c.code for c in policy.categories],
            }
        say(f"loading {opts.tenants:,} tenants × {opts.per_tenant:,} + 1 × {opts.big:,} complaints (today {today})")
        loaded = await Loader(db.owner_url, today, say).run(
            tenants=opts.tenants, per_tenant=opts.per_tenant, big=opts.big,
            open_share=opts.open_share, due_share=opts.due_share,
            password_hash=hash_password(STAFF_PASSWORD), packs=packs,
        )
        say(f"load took {loaded.seconds:.1f} s ({loaded.complaints:,} complaints, {loaded.open_complaints:,} open)")

        if opts.plan_cache_mode:
            await db.set_plan_cache_mode(opts.plan_cache_mode)
            say(f"plan_cache_mode = {opts.plan_cache_mode} for every connection to {db.name}")
        http = await _http(opts, env, loaded, STAFF_PASSWORD, db.var_dir)
        measured = await _inproc(opts, db, loaded, today)
        conn = await asyncpg.connect(db.app_url)
        try:
            server_version = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
        result = report.build(opts, loaded, migrate_s, http, measured, server_version, QUERY)
        if not opts.json_only:
            if opts.plans:
                print(report.plan_texts(measured))
            print(report.table(result, measured))
        print(report.json_line(result), flush=True)
        return 0
    finally:
        if opts.keep:
            say(f"kept database {db.name}; app role {db.role}; owner URL {db.owner_url}; var {db.var_dir}")
        else:
            await db.drop()
            say(f"dropped database {db.name}")


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    return asyncio.run(_run(opts))
