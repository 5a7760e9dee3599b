"""Applying migrations (as the owner role) and granting the app role what it may do."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kefu.db import current_engine, is_postgres
from kefu.settings import get_settings

# The app role may add to the audit trail and read it, never change it.
APPEND_ONLY_TABLES = ("audit_event",)


async def migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    engine = current_engine()
    if not is_postgres(engine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        result = await run_forwards(app_name="all")
    if not result.success:
        print(captured.getvalue())
        raise RuntimeError(f"migrations failed: {result.message}")
    print(summary(captured.getvalue()))
    settings = get_settings()
    if is_postgres(engine) and settings.db_app_role:
        await grant_app_role(settings.db_app_role, settings.db_app_password)


def summary(piccolo_output: str) -> str:
    """One line per app: how many migrations ran now, or that it was up to date. (Piccolo's own
    banner counts every migration of the app as "already complete", even on a fresh database.)"""
    lines = piccolo_output.splitlines()
    ran: dict[str, int] = {}
    app = ""
    for i, line in enumerate(lines):
        text = line.strip()
        if i + 1 < len(lines) and lines[i + 1].strip().startswith("----") and text:
            app = text.lower()
            ran.setdefault(app, 0)
        elif app and (found := re.search(r"Running (\d+) migration", text)):
            ran[app] = int(found.group(1))
    return "\n".join(
        f"{name}: {n} migration{'s' if n != 1 else ''} applied" if n else f"{name}: up to date"
        for name, n in ran.items()
    )


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"KEFU_DB_APP_ROLE: not a plain role name: {name!r}")
    return f'"{name}"'


async def grant_app_role(role: str, password: str | None) -> None:
    engine = current_engine()
    r = _ident(role)
    exists = await engine.run_ddl(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'")  # noqa: S608 — _ident checked it
    if not exists:
        await engine.run_ddl(f"CREATE ROLE {r} LOGIN NOSUPERUSER NOBYPASSRLS")
    await engine.run_ddl(f"ALTER ROLE {r} NOSUPERUSER NOBYPASSRLS")
    if password:
        escaped = password.replace("'", "''")
        await engine.run_ddl(f"ALTER ROLE {r} PASSWORD '{escaped}'")
    db = (await engine.run_ddl("SELECT current_database() AS db"))[0]["db"]
    statements = [
        f'GRANT CONNECT ON DATABASE "{db}" TO {r}',
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        *[f"REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {r}" for t in APPEND_ONLY_TABLES],
        f"REVOKE ALL ON migration FROM {r}",
    ]
    for sql in statements:
        await engine.run_ddl(sql)


def drift() -> list[str]:
    """Run Piccolo's auto migration against a copy of migrations/; list what it would create."""
    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(settings.migrations_dir, root / "migrations")
        before = {p.name for p in (root / "migrations").rglob("*.py")}
        env = {**os.environ, "KEFU_ROOT": str(root), "PICCOLO_CONF": "kefu.piccolo_conf", "KEFU_VAR_DIR": str(settings.var_dir)}
        env["KEFU_DATABASE_URL"] = env.get("KEFU_MIGRATE_DATABASE_URL") or env.get("KEFU_DATABASE_URL", "")
        proc = subprocess.run(
            [sys.executable, "-m", "piccolo.main", "migrations", "new", "all", "--auto"],
            env=env, capture_output=True, text=True, cwd=tmp,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"piccolo failed: {proc.stderr.strip() or proc.stdout.strip()}")
        after = {p.name for p in (root / "migrations").rglob("*.py")}
        return sorted(after - before)
