"""Settings come from KEFU_* variables only; these tests pass an explicit environ (no os.environ)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kefu.settings import SettingsError, load_settings

SECRET = "s" * 40


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    """An environment rooted in tmp_path, with a secret unless the test removes it."""
    base = {"KEFU_ROOT": str(tmp_path), "KEFU_SECRET_KEY": SECRET}
    base.update(values)
    return {k: v for k, v in base.items() if v is not None}


def test_embedded_defaults(tmp_path):
    settings = load_settings(env(tmp_path))
    assert settings.root == tmp_path.resolve()
    assert settings.var_dir == tmp_path.resolve() / "var"
    assert settings.database.engine == "sqlite"
    assert settings.database.path == tmp_path.resolve() / "var" / "kefu.db"
    assert settings.redis_url is None and settings.embedded_broker
    assert settings.env == "development" and not settings.is_production
    assert settings.port == 8000
    assert SECRET not in repr(settings)


def test_relative_sqlite_url_is_under_the_root(tmp_path):
    settings = load_settings(env(tmp_path, KEFU_DATABASE_URL="sqlite:///data/app.db"))
    assert settings.database.engine == "sqlite"
    assert settings.database.path == tmp_path.resolve() / "data" / "app.db"


def test_absolute_sqlite_url(tmp_path):
    target = tmp_path / "elsewhere" / "abs.db"
    settings = load_settings(env(tmp_path, KEFU_DATABASE_URL=f"sqlite:///{target}"))
    assert str(target).startswith("/")  # so the URL above has four slashes
    assert settings.database.path == target
    assert not settings.database.is_postgres


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_url(tmp_path, scheme):
    url = f"{scheme}://kefu:pw@db.example:5433/kefu"
    settings = load_settings(env(tmp_path, KEFU_DATABASE_URL=url))
    assert settings.database.is_postgres
    assert settings.database.dsn == "postgresql://kefu:pw@db.example:5433/kefu"
    assert settings.database.path is None


@pytest.mark.parametrize(
    "url",
    ["mysql://u@h/db", "sqlite://relative.db", "sqlite:///", "postgresql://u@host", "postgresql:///db", "kefu.db"],
)
def test_bad_database_url_names_the_variable(tmp_path, url):
    with pytest.raises(SettingsError) as err:
        load_settings(env(tmp_path, KEFU_DATABASE_URL=url))
    assert str(err.value).startswith("KEFU_DATABASE_URL:")
    assert "\n" not in str(err.value)


def test_migrate_url_defaults_to_the_app_url(tmp_path):
    url = "postgresql://app@db/kefu"
    settings = load_settings(env(tmp_path, KEFU_DATABASE_URL=url))
    assert settings.migrate_database == settings.database
    owner = load_settings(
        env(tmp_path, KEFU_DATABASE_URL=url, KEFU_MIGRATE_DATABASE_URL="postgresql://owner@db/kefu")
    )
    assert owner.migrate_database.dsn == "postgresql://owner@db/kefu"
    assert owner.database.dsn == url


def test_bad_migrate_url_names_its_own_variable(tmp_path):
    with pytest.raises(SettingsError, match=r"^KEFU_MIGRATE_DATABASE_URL:"):
        load_settings(env(tmp_path, KEFU_MIGRATE_DATABASE_URL="mysql://x/y"))


def test_secret_key_is_generated_once_into_var(tmp_path):
    first = load_settings(env(tmp_path, KEFU_SECRET_KEY=None))
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32
    assert key_file.read_text().strip() == first.secret_key
    again = load_settings(env(tmp_path, KEFU_SECRET_KEY=None))
    assert again.secret_key == first.secret_key


def test_secret_key_goes_into_kefu_var_dir(tmp_path):
    var = tmp_path / "state"
    load_settings(env(tmp_path, KEFU_SECRET_KEY=None, KEFU_VAR_DIR=str(var)))
    assert (var / "secret_key").is_file()
    assert not (tmp_path / "var").exists()


def test_explicit_secret_wins_and_writes_nothing(tmp_path):
    settings = load_settings(env(tmp_path))
    assert settings.secret_key == SECRET
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_requires_a_secret_key(tmp_path):
    with pytest.raises(SettingsError, match=r"^KEFU_SECRET_KEY:"):
        load_settings(env(tmp_path, KEFU_ENV="production", KEFU_SECRET_KEY=None))
    assert not (tmp_path / "var" / "secret_key").exists()
    settings = load_settings(env(tmp_path, KEFU_ENV="production"))
    assert settings.is_production and settings.secure_cookies


def test_short_secret_is_rejected(tmp_path):
    with pytest.raises(SettingsError, match=r"^KEFU_SECRET_KEY:.*32"):
        load_settings(env(tmp_path, KEFU_SECRET_KEY="too-short"))


def test_short_generated_secret_file_is_rejected(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("short")
    with pytest.raises(SettingsError, match=r"^KEFU_SECRET_KEY:.*secret_key"):
        load_settings(env(tmp_path, KEFU_SECRET_KEY=None))


@pytest.mark.parametrize("name", ["KEFU_PORT", "KEFU_WORKERS", "KEFU_SIGNIN_MAX_FAILURES", "KEFU_SESSION_MAX_AGE"])
def test_bad_integer_names_the_variable(tmp_path, name):
    with pytest.raises(SettingsError) as err:
        load_settings(env(tmp_path, **{name: "eighty"}))
    assert str(err.value).startswith(f"{name}:")
    assert "eighty" in str(err.value)


def test_integers_are_read(tmp_path):
    settings = load_settings(env(tmp_path, KEFU_PORT="9000", KEFU_WORKERS="3", KEFU_HOST="0.0.0.0"))
    assert (settings.host, settings.port, settings.workers) == ("0.0.0.0", 9000, 3)


@pytest.mark.parametrize(
    ("name", "value"),
    [("KEFU_ENV", "staging"), ("KEFU_DEFAULT_LOCALE", "fr"), ("KEFU_REDIS_URL", "localhost:6379")],
)
def test_other_bad_values_name_the_variable(tmp_path, name, value):
    with pytest.raises(SettingsError, match=rf"^{name}:"):
        load_settings(env(tmp_path, **{name: value}))


def test_redis_url_turns_off_the_embedded_broker(tmp_path):
    settings = load_settings(env(tmp_path, KEFU_REDIS_URL="redis://127.0.0.1:6379/0"))
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert not settings.embedded_broker
