"""The served app: kefu's own `create_app(start_pool=True)` plus the ceiling route and the bare
answer endpoint (bench/surveys_bare.py), run by
uvicorn in a subprocess (one process serves both the page and its ceiling, as in production
`kefu serve` with one worker: same uvicorn options, no access log).

`python -m bench.server PORT` is what the bench starts; `Server` starts and stops it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from litestar import Litestar

ROOT = Path(__file__).resolve().parents[1]


def bench_app() -> Litestar:
    from bench import ceiling, surveys_bare
    from kefu.app import create_app

    app = create_app(start_pool=True)
    app.register(ceiling.ceiling)
    app.register(surveys_bare.bare_answer)
    app.on_startup.append(ceiling.start_pool)
    app.on_shutdown.append(ceiling.close_pool)
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.port = free_port()
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.server", str(self.port)],
            env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # uvicorn shuts down gracefully on SIGTERM
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main() -> None:
    import uvicorn

    port = int(sys.argv[1])
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    uvicorn.run(
        "bench.server:bench_app", factory=True, host="127.0.0.1", port=port,
        proxy_headers=True, log_level="warning", access_log=False,
    )


if __name__ == "__main__":
    main()
