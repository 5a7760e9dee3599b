"""Test configuration: a fresh database per run, on SQLite (default) or PostgreSQL + Redis.

KEFU_TEST_DATABASE_URL (an owner/admin URL) switches to PostgreSQL: the suite creates its own
database, migrates it as the owner, and connects as a NOSUPERUSER NOBYPASSRLS role, so row-level
security is live in every test. KEFU_TEST_REDIS_URL adds Redis (sessions, throttle, broker).
With KEFU_CI=1 a service that does not answer fails the run instead of being skipped.

Under pytest-xdist (`make test` runs two workers) each worker process configures itself: its
own database, and its own Redis database counted down from the given one (gw0: /15, gw1: /14),
so workers never share sessions, rate-limit counters or job queues.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_PG = os.environ.get("KEFU_TEST_DATABASE_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, … under pytest-xdist


def _worker_redis(url: str | None) -> str | None:
    if not url or not WORKER:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    db = base - int(WORKER.removeprefix("gw"))
    if db < 0:
        raise SystemExit(f"KEFU_TEST_REDIS_URL: database /{base} leaves no Redis database for xdist worker {WORKER}")
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


TEST_REDIS = _worker_redis(os.environ.get("KEFU_TEST_REDIS_URL"))
# One app role per worker: `kefu migrate` ALTERs its role, and two sessions altering one role at
# once fail with "tuple concurrently updated".
# KEFU_TEST_APP_ROLE names a prefix of one's own when several checkouts test on one server.
_ROLE_PREFIX = os.environ.get("KEFU_TEST_APP_ROLE", "kefu_test_app")
APP_ROLE = f"{_ROLE_PREFIX}_{WORKER}" if WORKER else _ROLE_PREFIX
IN_CI = os.environ.get("KEFU_CI") == "1"

_state: dict[str, str] = {}


def _with_db(url: str, db: str, user: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user:
        host = netloc.rsplit("@", 1)[-1]
        netloc = f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, f"/{db}", "", ""))


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True, capture_output=True, text=True)


def _migrate(env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "kefu.cli", "migrate"], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"kefu migrate failed:\n{proc.stdout}\n{proc.stderr}")


def _configure() -> None:
    """Runs when this module is imported — before tests.fixtures imports kefu — so nothing in
    kefu can read settings or build an engine for the developer's own database."""
    # Once per process: an xdist worker inherits the controller's environment, KEFU_* included,
    # and must still make its own database (a shared one made tests see each other's rows).
    if os.environ.get("KEFU_TEST_CONFIGURED") == str(os.getpid()):
        return
    var = Path(tempfile.mkdtemp(prefix="kefu-test-"))
    env = {
        "KEFU_ENV": "test",
        "KEFU_VAR_DIR": str(var),
        "KEFU_SECRET_KEY": "test-secret-" + "x" * 40,
        "KEFU_TEST_CONFIGURED": str(os.getpid()),
    }
    os.environ.pop("KEFU_REDIS_URL", None)
    if TEST_PG:
        db = f"kefu_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        try:
            _psql(TEST_PG, f'CREATE DATABASE "{db}"')
        except (subprocess.CalledProcessError, FileNotFoundError) as exc:
            raise SystemExit(f"KEFU_TEST_DATABASE_URL: cannot create a test database: {exc}") from exc
        create_role = (
            f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') "  # noqa: S608
            f"THEN CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END$$"
        )
        _psql(TEST_PG, create_role)
        owner_url = _with_db(TEST_PG, db)
        _state["pg_admin"] = TEST_PG
        _state["pg_db"] = db
        env["KEFU_MIGRATE_DATABASE_URL"] = owner_url
        env["KEFU_DATABASE_URL"] = _with_db(TEST_PG, db, APP_ROLE)
        env["KEFU_DB_APP_ROLE"] = APP_ROLE
    elif IN_CI and os.environ.get("KEFU_TEST_REQUIRE_PG"):
        raise SystemExit("KEFU_CI: PostgreSQL was required but KEFU_TEST_DATABASE_URL is unset")
    else:
        env["KEFU_DATABASE_URL"] = f"sqlite:///{var}/kefu.db"
    if TEST_REDIS:
        import redis

        try:
            redis.Redis.from_url(TEST_REDIS).flushdb()
        except redis.RedisError as exc:
            raise SystemExit(f"KEFU_TEST_REDIS_URL: Redis does not answer: {exc}") from exc
        env["KEFU_REDIS_URL"] = TEST_REDIS
    os.environ.update(env)
    _migrate({**os.environ, "KEFU_DEBUG": "1"})


_configure()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _state.get("pg_db"):
        try:
            _psql(_state["pg_admin"], f'DROP DATABASE IF EXISTS "{_state["pg_db"]}" WITH (FORCE)')
        except subprocess.CalledProcessError:
            pass


pytest_plugins = ["tests.fixtures"]
