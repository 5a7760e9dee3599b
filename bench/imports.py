"""Importing 20,000 customers through the pages of a served app, with /healthz latency measured
while it runs, against /healthz on the same idle server in the same run.

    python -m bench.imports [--rows 20000] [--probe-ms 20] [--redis redis://…/N]

A throwaway SQLite database (or, with KEFU_BENCH_DATABASE_URL, a throwaway PostgreSQL one) is
migrated, one insurer and its administrator are made with the kefu CLI, and `kefu serve` runs in
a subprocess in embedded mode: the jobs that read, check and import the file run in the web
process itself (their CPU work in a thread), the worst case for the other tenants. With
--redis (or KEFU_BENCH_REDIS_URL; that database is emptied) they run in a `kefu worker`
process instead, as in production. Steps timed: the upload
(the request stores the file and answers), the check (a job: the job's page polled until it
sends the browser to the preview), the confirm (a job too: until the page sends the browser to
the customer list). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.server import free_port

ROOT = Path(__file__).resolve().parents[1]
EMAIL, PASSWORD, SLUG = "import-bench@example.cn", "bench-" + secrets.token_hex(8), "import-bench"
HEADER = ["姓名", "电话", "类型", "保单号", "同意联系", "首选渠道", "备注"]


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append([f"客户{i:05d}", f"139{i:08d}", "投保人", f"P-{i:06d}", "是", "短信", "基准导入"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _kefu(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kefu.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"kefu {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Probe:
    """GET /healthz every `every` seconds on its own connection, each answer's latency kept
    with the phase it fell in."""

    def __init__(self, base_url: str, every: float) -> None:
        self.base_url, self.every = base_url, every
        self.phase = "idle"
        self.samples: dict[str, list[float]] = {}
        self.failures = 0
        self._stop = asyncio.Event()

    async def run(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=60) as http:
            while not self._stop.is_set():
                started = time.perf_counter()
                response = await http.get("/healthz")
                spent = time.perf_counter() - started
                if response.status_code != 200:
                    self.failures += 1
                self.samples.setdefault(self.phase, []).append(spent)
                await asyncio.sleep(max(0.0, self.every - spent))

    def stop(self) -> None:
        self._stop.set()


def _stats(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2)}


async def _signin(http: httpx.AsyncClient) -> None:
    await http.get("/signin")
    response = await http.post("/signin", data={"email": EMAIL, "password": PASSWORD},
                               headers={"x-csrftoken": http.cookies.get("kefu_csrf") or ""})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed: {response.status_code} {response.text[:300]}")


async def _follow(http: httpx.AsyncClient, job_url: str) -> str:
    """Poll a job's page as the browser does until it sends the browser on; where to."""
    while True:
        page = await http.get(job_url)
        if page.status_code == 303:
            return page.headers["location"]
        if 'data-state="failed"' in page.text:
            raise RuntimeError(f"the job failed: {page.text[-1500:]}")
        await asyncio.sleep(0.25)


async def _import(base_url: str, content: bytes, rows: int, probe: Probe) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base_url, timeout=600, follow_redirects=False) as http:
        await _signin(http)
        csrf = {"x-csrftoken": http.cookies.get("kefu_csrf") or ""}
        probe.phase = "upload"
        started = time.perf_counter()
        stored = await http.post(f"/t/{SLUG}/customers/import/", files={"file": ("客户.xlsx", content)}, headers=csrf)
        uploaded = time.perf_counter()
        if stored.status_code != 303 or "/jobs/" not in stored.headers.get("location", ""):
            raise RuntimeError(f"upload answered {stored.status_code}: {stored.text[:500]}")
        probe.phase = "check"
        preview = await _follow(http, stored.headers["location"])
        checked = time.perf_counter()
        if re.search(r"/import/(\d+)$", preview) is None or 'id="import-clean"' not in (await http.get(preview)).text:
            raise RuntimeError(f"the preview is not clean: {preview}")
        probe.phase = "confirm"
        done = await http.post(f"{preview}/confirm", headers=csrf)
        if done.status_code != 303 or "/jobs/" not in done.headers.get("location", ""):
            raise RuntimeError(f"confirm answered {done.status_code}: {done.text[:500]}")
        listing = await _follow(http, done.headers["location"])
        confirmed = time.perf_counter()
        probe.phase = "after"
        shown = (await http.get(listing)).text
        if f"Imported: {rows:,}" not in shown and f"已导入：新增 {rows:,}" not in shown and f"{rows}" not in shown:
            raise RuntimeError("the list does not say what was imported")
    return {"upload_s": round(uploaded - started, 3), "check_s": round(checked - uploaded, 3),
            "confirm_s": round(confirmed - checked, 3), "total_s": round(confirmed - started, 3)}


def _environment(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env.update({"KEFU_ENV": "development", "KEFU_VAR_DIR": str(var), "KEFU_SECRET_KEY": "bench-" + secrets.token_hex(24),
                "KEFU_DATABASE_URL": f"sqlite:///{var}/kefu.db", "KEFU_DEFAULT_LOCALE": "en",
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])})
    return env


async def _measure(env: dict[str, str], rows: int, every: float, var: Path) -> dict[str, Any]:
    port = free_port()
    log = (var / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "kefu.cli", "serve", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    worker = None
    if env.get("KEFU_REDIS_URL"):  # production's shape: the jobs run in `kefu worker`, another process
        worker = subprocess.Popen([sys.executable, "-m", "kefu.cli", "worker", "--threads", "2"],
                                  env=env, cwd=ROOT, stdout=(var / "worker.log").open("w"), stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
            for _ in range(300):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
            else:
                raise RuntimeError(f"the server did not start:\n{(var / 'server.log').read_text()}")
        content = await asyncio.to_thread(workbook, rows)
        probe = Probe(base_url, every)
        probing = asyncio.create_task(probe.run())
        await asyncio.sleep(max(2.0, every * 200))  # the idle baseline, same server, same run
        timings = await _import(base_url, content, rows, probe)
        probe.stop()
        await probing
    finally:
        for proc in (server, worker):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    idle = _stats(probe.samples.get("idle", []))
    mode = "kefu worker (Redis)" if worker else "embedded"
    found: dict[str, Any] = {"rows": rows, "file_bytes": len(content), "engine": "sqlite", "mode": mode,
                             **timings, "healthz_idle": idle, "healthz_failures": probe.failures}
    for phase in ("upload", "check", "confirm"):
        during = _stats(probe.samples.get(phase, []))
        found[f"healthz_{phase}"] = during
        if during and idle:
            found[f"ratio_p95_{phase}"] = round(during["p95_ms"] / idle["p95_ms"], 2)
            found[f"ratio_max_{phase}"] = round(during["max_ms"] / idle["max_ms"], 2)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--probe-ms", type=float, default=20.0, help="how often /healthz is asked")
    parser.add_argument("--redis", default=os.environ.get("KEFU_BENCH_REDIS_URL", ""),
                        help="a Redis database to empty and use: the jobs then run in a `kefu worker` process")
    args = parser.parse_args(argv)
    var = Path(tempfile.mkdtemp(prefix="kefu-import-bench-"))
    env = _environment(var)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        env["KEFU_REDIS_URL"] = args.redis
    env_migrate = {**env, "KEFU_DEBUG": "1"}
    _kefu(env_migrate, "migrate")
    _kefu(env, "tenant", "create", "--slug", SLUG, "--name", "导入基准保险", "--kind", "insurance")
    _kefu(env, "user", "create", "--email", EMAIL, "--password", PASSWORD, "--name", "Import Bench",
          "--tenant", SLUG, "--position", "admin")
    result = asyncio.run(_measure(env, args.rows, args.probe_ms / 1000, var))
    import sqlite3

    with sqlite3.connect(var / "kefu.db") as db:  # what was written, not what the page said
        result["stored"] = db.execute("SELECT count(*) FROM customer").fetchone()[0]
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
