"""`python -m bench.surveys`: the survey figures of `make bench`, as ratios measured in one run.

1. Creating a round of 50,000 invitations (kefu's create_round + open_round, with one outbox
   notice per invitee) ÷ a raw bulk insert of the same rows (bench/surveys_round.py).
2. Answer submissions per second at 256 concurrent clients: the public answer page
   (POST /p/{slug}/s/{token}, one invitation each, 303 to the thank-you page) ÷ the bare
   endpoint of the same server that stores the same form as the same answers JSON with one raw
   asyncpg insert (bench/surveys_bare.py). Every acknowledged answer must be stored: the run
   fails unless acknowledged = rows in survey_response, for both.

PostgreSQL only, in a throwaway database (bench/database.py), served by uvicorn in a
subprocess as `kefu serve` would. The last line printed is the JSON of every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from bench.client import Connection, Series
from bench.database import BenchDatabase
from bench.options import DEFAULT_ADMIN_URL

SLUG = "bench-survey"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Options:
    admin_url: str
    invitations: int
    repeats: int
    requests: int
    warmup: int
    concurrency: int
    keep: bool
    json_only: bool


def parse(argv: list[str] | None = None) -> Options:
    p = argparse.ArgumentParser(prog="python -m bench.surveys", description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("KEFU_BENCH_DATABASE_URL", DEFAULT_ADMIN_URL))
    p.add_argument("--invitations", type=int, default=50_000, help="invitations of the round (default %(default)s)")
    p.add_argument("--repeats", type=int, default=2, help="app and raw round creations each (default %(default)s)")
    p.add_argument("--requests", type=int, default=6_000,
                   help="measured answers per endpoint, in two halves (default %(default)s)")
    p.add_argument("--warmup", type=int, default=512, help="warm-up answers per endpoint (default %(default)s)")
    p.add_argument("--concurrency", type=int, default=256, help="concurrent clients (default %(default)s)")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--json-only", action="store_true")
    a = p.parse_args(argv)
    opts = Options(a.database_url, a.invitations, a.repeats, a.requests, a.warmup, a.concurrency, a.keep, a.json_only)
    if min(opts.invitations, opts.repeats, opts.requests, opts.concurrency) < 1 or opts.warmup < 0:
        p.error("counts must be at least 1")
    if opts.requests + opts.warmup + 1 > opts.invitations:
        p.error("--invitations must exceed --requests + --warmup: each answer needs its own invitation")
    return opts


# --- the POST series ---------------------------------------------------------------------------


@dataclass
class Posted:
    series: Series
    acknowledged: int  # answered with the expected status (incl. warm-up)
    refused: list[str]  # anything else, with its status


async def post_series(port: int, headers: dict[str, str], requests: list[tuple[str, bytes]],
                      warmup: int, concurrency: int, expect: int, name: str) -> Posted:
    """Send each (path, body) once over `concurrency` keep-alive connections; the first `warmup`
    are not timed. A POST is never re-sent, so each acknowledgement is one answer."""
    conns = [Connection("127.0.0.1", port, headers) for _ in range(concurrency)]
    latencies: list[float] = []
    acknowledged = 0
    refused: list[str] = []

    async def worker(conn: Connection, todo: list[tuple[str, bytes]], record: bool) -> None:
        nonlocal acknowledged
        while todo:
            path, body = todo.pop()
            started = time.perf_counter()
            try:
                status, text = await conn.post(path, body, "application/x-www-form-urlencoded")
            except (ConnectionError, RuntimeError) as exc:
                refused.append(f"{type(exc).__name__}: {exc}")
                await conn.close()
                continue
            took = (time.perf_counter() - started) * 1000
            if status == expect:
                acknowledged += 1
                if record:
                    latencies.append(took)
            else:
                refused.append(f"{status}: {text[:200]!r}")

    try:
        warm = list(reversed(requests[:warmup]))
        await asyncio.gather(*(worker(c, warm, False) for c in conns))
        todo = list(reversed(requests[warmup:]))
        started = time.perf_counter()
        await asyncio.gather(*(worker(c, todo, True) for c in conns))
        wall = time.perf_counter() - started
    finally:
        for c in conns:
            await c.close()
    return Posted(Series(name, concurrency, latencies, wall), acknowledged, refused)


async def _csrf(base_url: str, path: str) -> tuple[dict[str, str], str]:
    """The CSRF cookie and form token a browser gets with the answer page (one per visitor;
    every client here reuses them, as one visitor's tab would)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        page = await http.get(path)
        if page.status_code != 200:
            raise RuntimeError(f"GET {path}: {page.status_code} {page.text[:300]}")
        match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        if not match:
            raise RuntimeError("the answer page has no _csrf_token field")
        cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    return {"Cookie": cookie}, match.group(1)


async def _submissions(opts: Options, env: dict[str, str], db: BenchDatabase, tenant_id: int,
                       app_round: int, raw_round: int) -> dict[str, Any]:
    from bench.server import Server
    from bench.surveys_load import answer_fields, body
    from kefu.surveys.policy.definition import parse_definition
    from kefu.surveys.schemas.answers import HONEYPOT, ROUND, STARTED, sign_started

    owner = await asyncpg.connect(db.owner_url)
    try:
        tokens = [r["token"] for r in await owner.fetch(
            "SELECT token FROM survey_invitation WHERE round_id = $1 ORDER BY id LIMIT $2",
            app_round, opts.requests + opts.warmup + 1)]
        definition = parse_definition(await owner.fetchval("SELECT definition::text FROM survey_round WHERE id = $1", app_round))
    finally:
        await owner.close()
    server = Server(env, db.var_dir / "server-surveys.log")
    say(f"serving the app (uvicorn subprocess) on {server.base_url}")
    server.start()
    try:
        headers, csrf = await _csrf(server.base_url, f"/p/{SLUG}/s/{tokens[0]}")
        tokens = tokens[1:]
        shown_at = time.time() - 150  # the forms were served 2½ minutes ago: above any time floor

        def app_request(i: int, token: str) -> tuple[str, bytes]:
            from datetime import UTC, datetime
            started = sign_started(token, datetime.fromtimestamp(shown_at, UTC))
            extra = [("_csrf_token", csrf), (STARTED, started), (ROUND, str(app_round)), (HONEYPOT, "")]
            return f"/p/{SLUG}/s/{token}", body(answer_fields(definition, i), extra)

        def bare_request(i: int, token: str) -> tuple[str, bytes]:
            path, payload = app_request(i, token)
            return f"/bench/bare/{tenant_id}/{raw_round}/s/{token}", payload

        app_all = [app_request(i, t) for i, t in enumerate(tokens)]
        bare_all = [bare_request(i, t) for i, t in enumerate(tokens)]
        half = opts.requests // 2
        w = opts.warmup
        # Two halves, the order reversed in the second, so drift favours neither.
        plan = [
            ("page", app_all[:w + half], w, 303), ("bare", bare_all[:w + half], w, 201),
            ("bare", bare_all[w + half:], 0, 201), ("page", app_all[w + half:], 0, 303),
        ]
        results: dict[str, list[Posted]] = {"page": [], "bare": []}
        for name, reqs, warm, expect in plan:
            say(f"  c={opts.concurrency}: {name} × {len(reqs) - warm} (+{warm} warm-up)")
            posted = await post_series(server.port, headers, reqs, warm, opts.concurrency, expect, name)
            say(f"    {posted.series.summary()}; acknowledged {posted.acknowledged}, refused {len(posted.refused)}")
            results[name].append(posted)
    except BaseException:
        say(f"the server's log (last lines):\n{(db.var_dir / 'server-surveys.log').read_text(errors='replace')[-4000:]}")
        raise
    finally:
        server.stop()
    owner = await asyncpg.connect(db.owner_url)
    try:
        stored_page = await owner.fetchval("SELECT count(*) FROM survey_response WHERE round_id = $1", app_round)
        valid_page = await owner.fetchval("SELECT count(*) FROM survey_response WHERE round_id = $1 AND is_valid", app_round)
        answered = await owner.fetchval("SELECT count(*) FROM survey_invitation WHERE round_id = $1 AND state = 'answered'", app_round)
        stored_bare = await owner.fetchval("SELECT count(*) FROM survey_response WHERE round_id = $1", raw_round)
    finally:
        await owner.close()
    out: dict[str, Any] = {}
    for name, stored in (("page", stored_page), ("bare", stored_bare)):
        parts = results[name]
        series = parts[0].series.merged(parts[1].series)
        acknowledged = sum(p.acknowledged for p in parts)
        refused = [r for p in parts for r in p.refused]
        out[name] = {**series.summary(), "acknowledged": acknowledged, "stored": stored,
                     "refused": len(refused), "refused_examples": refused[:3]}
        if acknowledged != stored:
            raise RuntimeError(f"{name}: {acknowledged} answers acknowledged but {stored} stored")
    out["page"]["valid"] = valid_page
    out["page"]["invitations_answered"] = answered
    if answered != stored_page:
        raise RuntimeError(f"{stored_page} answers stored but {answered} invitations marked answered")
    return out


# --- the run -----------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


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
        db.migrate(env)

        from bench import surveys_round
        from bench.surveys_load import load_customers, setup
        from kefu.db import current_engine

        engine = current_engine()
        await engine.start_connection_pool(min_size=1, max_size=4)
        try:
            tenant = await setup(SLUG)
            started = time.perf_counter()
            await load_customers(db.owner_url, tenant.id, opts.invitations)
            say(f"loaded {opts.invitations:,} owners with consent in {time.perf_counter() - started:.1f} s")
            timing = await surveys_round.measure(
                db.app_url, db.owner_url, tenant.id, tenant.template_id, opts.invitations, opts.repeats, say)
        finally:
            await engine.close_connection_pool()
        # The state autovacuum reaches a minute after a round is created (as bench/load.py's
        # VACUUM ANALYZE after its load): without statistics the planner takes 200,000 fresh
        # invitations for an empty table.
        owner = await asyncpg.connect(db.owner_url)
        try:
            await owner.execute("VACUUM ANALYZE survey_invitation, survey_round, survey_response, notice")
        finally:
            await owner.close()
        posted = await _submissions(opts, env, db, tenant.id, timing.app_round_id, timing.raw_round_id)
        app_round = statistics.median(timing.app_s)
        raw_round = statistics.median(timing.raw_s)
        result = {
            "round": {
                "invitations": timing.invitations, "notices": timing.notices, "repeats": opts.repeats,
                "app_s": [round(s, 3) for s in timing.app_s], "raw_s": [round(s, 3) for s in timing.raw_s],
                "app_vs_raw_median": _ratio(app_round, raw_round),
            },
            "answers": {
                "concurrency": opts.concurrency, **posted,
                "page_vs_bare_rps": _ratio(posted["page"]["rps"], posted["bare"]["rps"]),
                "page_vs_bare_median": _ratio(posted["page"]["median_ms"], posted["bare"]["median_ms"]),
                "page_vs_bare_p99": _ratio(posted["page"]["p99_ms"], posted["bare"]["p99_ms"]),
            },
        }
        if not opts.json_only:
            r, a = result["round"], result["answers"]
            print(f"round of {r['invitations']:,} invitations (+{r['notices']:,} notices): "
                  f"kefu {app_round:.2f} s, raw bulk insert {raw_round:.2f} s, ratio {r['app_vs_raw_median']}")
            print(f"answers at {a['concurrency']} concurrent clients: page {a['page']['rps']} /s, "
                  f"bare {a['bare']['rps']} /s, page ÷ bare throughput {a['page_vs_bare_rps']}; "
                  f"acknowledged = stored: page {a['page']['acknowledged']} = {a['page']['stored']}, "
                  f"bare {a['bare']['acknowledged']} = {a['bare']['stored']}")
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    finally:
        if opts.keep:
            say(f"kept database {db.name}; owner URL {db.owner_url}; var {db.var_dir}")
        else:
            await db.drop()
            say(f"dropped database {db.name}")


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(_run(parse(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
