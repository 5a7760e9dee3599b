"""The isolation tests mean something only against the per-run test database.

tests/conftest.py creates a fresh database and points KEFU_DATABASE_URL at it (on PostgreSQL:
as a role under row-level security). If kefu read its settings before that, the app would run
on another database — a developer's var/kefu.db, or SQLite instead of PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from kefu.db import current_engine
from kefu.settings import get_settings, parse_database_url


def test_app_engine_is_the_test_database():
    url = parse_database_url(os.environ["KEFU_DATABASE_URL"], get_settings().root)
    engine = current_engine()
    if url.is_postgres:
        assert isinstance(engine, PostgresEngine), f"KEFU_DATABASE_URL is PostgreSQL, the app uses {engine!r}"
        assert engine.config.get("dsn") == url.dsn, f"the app connects to {engine.config}, not {url.dsn}"
    else:
        assert isinstance(engine, SQLiteEngine), f"KEFU_DATABASE_URL is SQLite, the app uses {engine!r}"
        assert Path(engine.path).resolve() == Path(url.path).resolve(), (
            f"the app uses {engine.path}, not the test database {url.path}"
        )
    assert get_settings().database == url, "kefu's settings were read before the test configuration"
