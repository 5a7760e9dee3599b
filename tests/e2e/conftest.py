"""Browser-test fixtures: the real `kefu serve` in a subprocess, a headless Chromium, a journey user.

The server gets this run's os.environ (tests/conftest.py points it at the fresh test database,
and at Redis on the second engine), so what the test process creates through tests.factories
is what the browser sees. Playwright's own browser download does not work here: Debian's
chromium is launched through executable_path.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from kefu.db import current_engine
from kefu.settings import load_settings
from tests import factories
from tests.fixtures import staff_of

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
IN_CI = os.environ.get("KEFU_CI") == "1"
SERVER_START_TIMEOUT = 90.0  # a loaded machine (2 cores, several test runs) took over 30 s
# Generous for a loaded CI machine; a passing run waits far less.
BROWSER_TIMEOUT_MS = 10_000


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A `kefu serve` subprocess. It boots (about 3 s) while the browser starts and the journey's
    data is created; `ready()` then waits for /healthz to say 200."""

    def __init__(self, log_dir: Path, *, own_public_url: bool = False) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_dir / "server.log"
        self._healthy = False
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if own_public_url:  # links it makes (an OpenID provider's redirect URI) point at itself
            env["KEFU_PUBLIC_URL"] = self.url
        cmd = [sys.executable, "-m", "kefu.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        self._started = time.monotonic()
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def ready(self) -> str:
        if self._healthy:
            return self.url
        deadline = self._started + SERVER_START_TIMEOUT
        last = "no answer"
        async with httpx.AsyncClient(timeout=2) as http:
            while True:
                if self.proc.poll() is not None:
                    pytest.fail(f"`kefu serve` exited with {self.proc.returncode} before it was healthy:\n{self.output()}")
                try:
                    response = await http.get(f"{self.url}/healthz")
                    if response.status_code == 200:
                        break
                    last = f"{response.status_code} {response.text}"
                except httpx.HTTPError as exc:
                    last = repr(exc)
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(
                        f"`kefu serve` did not answer /healthz with 200 within {SERVER_START_TIMEOUT:.0f} s "
                        f"(last: {last}); its output:\n{self.output()}"
                    )
                await asyncio.sleep(0.1)
        self._healthy = True
        return self.url

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`python -m kefu.cli serve` on a free port with this run's environment; stopped at the end."""
    server = LiveServer(tmp_path_factory.mktemp("kefu-serve"))
    try:
        yield server
    finally:
        server.stop()


@dataclass
class JourneyCast:
    email: str
    password: str
    name: str
    insurance: object  # Tenant rows
    property: object


def _check_same_database() -> None:
    """The factories must write where the server reads: this run's test database."""
    wanted = load_settings().database  # from os.environ, as the server subprocess will see it
    want = str(wanted.path) if wanted.path else wanted.dsn
    engine = current_engine()
    got = str(getattr(engine, "path", "") or getattr(engine, "config", {}).get("dsn"))
    if got != want:
        pytest.fail(
            f"this test process's database engine is {got}, not this run's test database {want}: "
            "kefu built its settings and engine at import, before tests/conftest.py set KEFU_*; "
            "the server would not see what the factories create"
        )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def journey() -> JourneyCast:
    """A Chinese-speaking user in two tenants: agent at an insurer, administrator at a property
    centre (the shared `person` of tests.fixtures, so staff_of puts one user in both)."""
    _check_same_database()
    suffix = uuid.uuid4().hex[:6]
    insurance = await staff_of("insurance", {"journey": "agent"}, name=f"甲保险 E2E Insurance {suffix}", locale="zh_CN")
    prop = await staff_of("property", {"journey": "admin"}, name=f"乙物业 E2E Property {suffix}", locale="zh_CN")
    person = insurance.users["journey"]
    await factories.audit_event(prop.tenant, marker="e2e")
    return JourneyCast(
        email=person.email, password=factories.PASSWORD, name=person.name,
        insurance=insurance.tenant, property=prop.tenant,
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[object]:
    reason = browser_missing_reason()
    if reason:  # the module skips itself outside CI; in CI a missing browser is a failure
        pytest.fail(f"KEFU_CI=1: browser tests cannot run: {reason}")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(live_server: LiveServer, browser, journey) -> AsyncIterator[object]:
    """A fresh browser context (its own cookies) whose relative URLs go to the healthy live server.

    The order of the arguments is the order of set-up: the server boots while the rest runs."""
    base_url = await live_server.ready()
    context = await browser.new_context(base_url=base_url, locale="zh-CN")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    tab = await context.new_page()
    try:
        yield tab
    finally:
        await context.close()
