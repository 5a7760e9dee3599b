"""Work one tenant can start cannot hold the server (issue 10's "Done when"): an .xlsx bomb
uploaded to the customer import and to a new survey round's audience list, and a runaway
notice-template preview, each sent to a served app while /healthz is asked every few
milliseconds on its own connection.

    python -m bench.budgets [--probe-ms 10] [--redis redis://…/N]

Set-up as bench.imports: a throwaway SQLite database, one insurer and its administrator made
with the kefu CLI, `kefu serve` in a subprocess (embedded mode: the jobs that read the files run
in the web process, in a thread: the worst case); with --redis (or KEFU_BENCH_REDIS_URL; that
database is emptied) they run in a `kefu worker` process instead. For each attack: the time
from the request to the refusal a member sees (the import's and the list's job pages polled
every 20 ms until they show the job failed; the preview's 422), the reason shown, and /healthz
latency during it against the idle baseline of the same server. Prints one JSON object; the
figures are measurements, nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx

from bench.imports import EMAIL, PASSWORD, ROOT, SLUG, Probe, _environment, _kefu, _signin, _stats
from bench.server import free_port

RUNAWAY = ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
           "{% endfor %}{% endfor %}{% endfor %}")
POLL = 0.02  # seconds between looks at a job's page
_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
          b'"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
          b'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          b'officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
         b'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def xlsx_bomb(rows: int, row: bytes) -> bytes:
    """An .xlsx whose one sheet has `rows` empty rows: small zipped, large unpacked (the attack
    run's file: 2,000,000 padded rows, 281 KB, 96 MB unpacked)."""
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>' + row * rows + b"</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in (("[Content_Types].xml", _TYPES), ("_rels/.rels", _RELS), ("xl/workbook.xml", _BOOK),
                           ("xl/_rels/workbook.xml.rels", _BOOK_RELS), ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, data)
    return out.getvalue()


BOMBS = {  # 2M empty rows: padded (over the unpacked-size limit) and short (the row count stops it)
    "96MB": (2_000_000, b'<row spans="1:1" ht="15" customHeight="1"></row>'),
    "12MB": (2_000_000, b"<row/>"),
}


def _reason(page: str) -> str:
    found = re.search(r'id="job-error">(.*?)</p>', page, re.S) or re.search(r'class="kefu-error" id="[^"]*-error">(.*?)<', page, re.S)
    return html.unescape(found[1]).strip() if found else ""


async def _until_refused(http: httpx.AsyncClient, answer: httpx.Response) -> tuple[str, str]:
    """The refusal a member sees: ("job", reason) once the job's page shows it failed, or
    ("request", reason) when the request itself refused; RuntimeError when it succeeded."""
    if answer.status_code == 422:
        return "request", _reason(answer.text)
    if answer.status_code != 303 or "/jobs/" not in answer.headers.get("location", ""):
        raise RuntimeError(f"answered {answer.status_code}: {answer.text[:500]}")
    while True:
        page = await http.get(answer.headers["location"])
        if 'data-state="failed"' in page.text:
            return "job", _reason(page.text)
        if page.status_code == 303:
            raise RuntimeError(f"the job succeeded: {page.headers['location']}")
        await asyncio.sleep(POLL)


async def _template_id(http: httpx.AsyncClient, csrf: dict[str, str]) -> str:
    """A survey template to start rounds from: the tenant's copy of its pack's first one."""
    page = (await http.get(f"/t/{SLUG}/surveys/templates/")).text
    key = re.search(r'name="pack_key" value="([^"]+)"', page)
    if key is None:
        raise RuntimeError("the pack has no survey template to copy")
    copied = await http.post(f"/t/{SLUG}/surveys/templates/copy", data={"pack_key": key[1]}, headers=csrf)
    found = re.search(r"/templates/(\d+)", copied.headers.get("location", ""))
    if found is None:
        raise RuntimeError(f"copying the template answered {copied.status_code}")
    return found[1]


async def _attacks(base_url: str, probe: Probe, bombs: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=120, follow_redirects=False) as http:
        await _signin(http)
        csrf = {"x-csrftoken": http.cookies.get("kefu_csrf") or ""}
        template_id = await _template_id(http, csrf)
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
        closes = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400 * 14))

        async def measure(name: str, send) -> None:
            await asyncio.sleep(0.5)  # a quiet gap: each phase's samples are its own
            probe.phase = name
            started = time.perf_counter()
            where, reason = await _until_refused(http, await send())
            spent = time.perf_counter() - started
            probe.phase = "between"
            found[name] = {"refused_s": round(spent, 3), "refused_by": where, "reason": reason}

        for label, content in bombs.items():
            await measure(f"import_bomb_{label}", lambda content=content: http.post(
                f"/t/{SLUG}/customers/import/", files={"file": ("bomb.xlsx", content)}, headers=csrf))
        for label, content in bombs.items():
            form = {"template_id": template_id, "title": f"bomb {label}", "opens_on": today, "closes_on": closes,
                    "reminder_after_days": "0", "audience": "list", "list_consent": "on"}
            await measure(f"survey_list_bomb_{label}", lambda content=content, form=form: http.post(
                f"/t/{SLUG}/surveys/rounds/", data=form, files={"list_file": ("名单.xlsx", content)}, headers=csrf))
        form = {"kind": "custom_runaway", "locale": "zh_CN", "channel": "email", "subject": "s", "body": RUNAWAY}
        await measure("runaway_template_preview", lambda: http.post(
            f"/t/{SLUG}/notices/templates/preview", data=form, headers={**csrf, "hx-request": "true"}))
    return found


async def _measure(env: dict[str, str], every: float, var: Path) -> dict[str, Any]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kefu.cli", "serve", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=(var / "server.log").open("w"), stderr=subprocess.STDOUT)
    worker = None
    if env.get("KEFU_REDIS_URL"):
        worker = subprocess.Popen([sys.executable, "-m", "kefu.cli", "worker", "--threads", "2"],
                                  env=env, cwd=ROOT, stdout=(var / "worker.log").open("w"), stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    bombs = {label: await asyncio.to_thread(xlsx_bomb, rows, row) for label, (rows, row) in BOMBS.items()}
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
        probe = Probe(base_url, every)
        probe.phase = "warm-up"  # the server's first answers (imports, caches) are not its idle pace
        probing = asyncio.create_task(probe.run())
        await asyncio.sleep(1.0)
        probe.phase = "idle"
        await asyncio.sleep(max(2.0, every * 200))  # the idle baseline, same server, same run
        attacks = await _attacks(base_url, probe, bombs)
        probe.stop()
        await probing
    finally:
        for proc in (server, worker):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    idle = _stats(probe.samples.get("idle", []))
    result: dict[str, Any] = {"engine": "sqlite", "mode": "kefu worker (Redis)" if worker else "embedded",
                              "bomb_bytes": {k: len(v) for k, v in bombs.items()}, "healthz_idle": idle,
                              "healthz_failures": probe.failures}
    for name, figures in attacks.items():
        during = _stats(probe.samples.get(name, []))
        figures["healthz"] = during
        if during and idle:
            figures["ratio_p95"] = round(during["p95_ms"] / idle["p95_ms"], 2)
            figures["ratio_max"] = round(during["max_ms"] / idle["max_ms"], 2)
        result[name] = figures
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.budgets", description=__doc__.splitlines()[0])
    parser.add_argument("--probe-ms", type=float, default=10.0, help="how often /healthz is asked")
    parser.add_argument("--redis", default="", help="a Redis database to empty and use: jobs run in `kefu worker`")
    args = parser.parse_args(argv)
    var = Path(tempfile.mkdtemp(prefix="kefu-budget-bench-"))
    env = _environment(var)
    redis_url = args.redis or os.environ.get("KEFU_BENCH_REDIS_URL", "")
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        env["KEFU_REDIS_URL"] = redis_url
    _kefu({**env, "KEFU_DEBUG": "1"}, "migrate")
    _kefu(env, "tenant", "create", "--slug", SLUG, "--name", "预算基准保险", "--kind", "insurance")
    _kefu(env, "user", "create", "--email", EMAIL, "--password", PASSWORD, "--name", "Budget Bench",
          "--tenant", SLUG, "--position", "admin")
    result = asyncio.run(_measure(env, args.probe_ms / 1000, var))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
