"""`make fuzz`: schemathesis against the JSON API's served OpenAPI schema, with a longer budget
than the suite's own fuzz test (tests/hardening/fuzz_sweep.py).

A throwaway SQLite database is migrated, one insurer with an administrator and an API token
is made with the kefu CLI, `kefu serve` runs in a subprocess, and schemathesis runs every
operation of /api/schema/openapi.json as that token, the tenant's slug fixed (a random slug is
only ever a 404), with every check schemathesis has (no 5xx, answers that match the schema).
Exits with schemathesis's own status.

    python scripts/fuzz_api.py [--max-examples 200] [--seed 1] [--phases fuzzing,stateful]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG, EMAIL = "fuzz", "fuzz@example.cn"


def _kefu(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kefu.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"kefu {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _schemathesis() -> str:
    found = Path(sys.executable).with_name("schemathesis")
    if found.exists():
        return str(found)
    on_path = shutil.which("schemathesis")
    if on_path is None:
        raise SystemExit("schemathesis is not installed: `make install-dev` (it is in the dev extras)")
    return on_path


def _wait(url: str, proc: subprocess.Popen, log: Path) -> None:
    import httpx

    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer:\n{log.read_text()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=200, help="cases per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases", default="", help="schemathesis phases, comma-separated (default: all)")
    args = parser.parse_args(argv)
    var = Path(tempfile.mkdtemp(prefix="kefu-fuzz-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env.update({"KEFU_ENV": "development", "KEFU_VAR_DIR": str(var), "KEFU_DATABASE_URL": f"sqlite:///{var}/kefu.db",
                "KEFU_SECRET_KEY": "fuzz-" + secrets.token_hex(24)})
    _kefu({**env, "KEFU_DEBUG": "1"}, "migrate")
    # The tenant, its administrator and the token: three kefu commands in one process (one start-up).
    commands = [["tenant", "create", "--slug", SLUG, "--name", "Fuzz 保险", "--kind", "insurance"],
                ["user", "create", "--email", EMAIL, "--password", secrets.token_hex(12), "--tenant", SLUG,
                 "--position", "admin"],
                ["token", "create", "--tenant", SLUG, "--email", EMAIL]]
    script = f"import sys\nfrom kefu.cli import main\nfor argv in {commands!r}:\n    if main(argv):\n        sys.exit(1)\n"
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"setting up the fuzz tenant failed:\n{done.stdout}\n{done.stderr}")
    token = done.stdout.strip().splitlines()[-1]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = var / "server.log"
    server = subprocess.Popen([sys.executable, "-m", "kefu.cli", "serve", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        _wait(f"{base}/healthz", server, log)
        config = var / "schemathesis.toml"
        config.write_text(
            f'base-url = "{base}"\n'
            f"seed = {args.seed}\n"
            f"generation.max-examples = {args.max_examples}\n"
            'headers = { Authorization = "Bearer ${KEFU_FUZZ_TOKEN}" }\n'
            "[parameters]\n"
            f'"path.slug" = "{SLUG}"\n'
            # The codes a complaint names (channel, category), the rules of registration (a
            # contact, a subject) and a new policy's product and receipt day are the tenant's
            # pack's and calendar's, which a tenant-independent schema cannot list: a well-typed
            # value the pack does not know is a 422 naming the field.
            "[[operations]]\n"
            'include-path-regex = "/(complaints|callbacks/policies)$"\n'
            'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]\n'
        )
        command = [_schemathesis(), "--config-file", str(config), "run", f"{base}/api/schema/openapi.json"]
        if args.phases:
            command += ["--phases", args.phases]
        print(" ".join(command), flush=True)
        return subprocess.run(command, env={**env, "KEFU_FUZZ_TOKEN": token}, cwd=var, check=False).returncode
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
