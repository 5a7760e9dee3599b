"""The throwaway database: created from the admin URL, migrated as its owner with
`python -m kefu.cli migrate` (as tests/conftest.py does), used by the app as a NOSUPERUSER
NOBYPASSRLS role of this run only, and dropped at the end with that role.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parents[1]


def with_db(url: str, db: str, user: str | None = None, password: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user:
        host = netloc.rsplit("@", 1)[-1]
        netloc = f"{user}:{password}@{host}" if password else f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, f"/{db}", parts.query, ""))


@dataclass
class BenchDatabase:
    admin_url: str
    name: str = field(default_factory=lambda: f"kefu_bench_{secrets.token_hex(4)}")
    role: str = ""
    password: str = field(default_factory=lambda: secrets.token_hex(16))
    var_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))  # set by create()
    created: bool = False

    def __post_init__(self) -> None:
        self.role = self.role or f"{self.name}_app"

    @property
    def owner_url(self) -> str:
        return with_db(self.admin_url, self.name)

    @property
    def app_url(self) -> str:
        return with_db(self.admin_url, self.name, self.role, self.password)

    def kefu_env(self) -> dict[str, str]:
        """The KEFU_* settings of this run (the server subprocess and this process share them)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
        env.update({
            "KEFU_ENV": "development",
            "KEFU_VAR_DIR": str(self.var_dir),
            "KEFU_SECRET_KEY": "bench-" + secrets.token_hex(24),
            "KEFU_DATABASE_URL": self.app_url,
            "KEFU_MIGRATE_DATABASE_URL": self.owner_url,
            "KEFU_DB_APP_ROLE": self.role,
            "KEFU_DB_APP_PASSWORD": self.password,
            "KEFU_DEFAULT_LOCALE": "zh_CN",
        })
        return env

    async def create(self) -> None:
        conn = await asyncpg.connect(self.admin_url)
        try:
            if not await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
                raise SystemExit(
                    "KEFU_BENCH_DATABASE_URL: connect as a superuser (kefu migrate makes the app "
                    "role NOSUPERUSER NOBYPASSRLS, which only a superuser may do)"
                )
            await conn.execute(f'CREATE DATABASE "{self.name}"')
            self.created = True
            self.var_dir = Path(tempfile.mkdtemp(prefix="kefu-bench-"))  # sessions, secret, log
        finally:
            await conn.close()

    def migrate(self, env: dict[str, str]) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "kefu.cli", "migrate"], env=env, capture_output=True, text=True,
            cwd=ROOT,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"kefu migrate failed:\n{proc.stdout}\n{proc.stderr}")

    async def set_plan_cache_mode(self, mode: str) -> None:
        if mode not in ("auto", "force_custom_plan", "force_generic_plan"):
            raise ValueError(mode)
        conn = await asyncpg.connect(self.admin_url)
        try:
            await conn.execute(f'ALTER DATABASE "{self.name}" SET plan_cache_mode = {mode}')
        finally:
            await conn.close()

    async def drop(self) -> None:
        conn = await asyncpg.connect(self.admin_url)
        try:
            if self.created:
                await conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            await conn.execute(f'DROP ROLE IF EXISTS "{self.role}"')
        finally:
            await conn.close()
        if self.created:
            shutil.rmtree(self.var_dir, ignore_errors=True)
