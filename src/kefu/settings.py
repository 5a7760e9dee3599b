"""One typed settings object, read once from KEFU_* environment variables.

Embedded defaults (SQLite under var/, no Redis) make `make run` work on a bare machine;
production (KEFU_ENV=production) refuses to start without an explicit secret key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit


class SettingsError(ValueError):
    """A KEFU_* variable has a value the app cannot use; the message names it."""


def project_root() -> Path:
    env_root = os.environ.get("KEFU_ROOT")
    if env_root:
        return Path(env_root).resolve()
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class DatabaseUrl:
    engine: str  # "sqlite" or "postgres"
    path: Path | None = None  # sqlite file
    dsn: str | None = None  # postgres DSN for asyncpg

    @property
    def is_postgres(self) -> bool:
        return self.engine == "postgres"


def _public_url(env: Mapping[str, str]) -> str:
    url = (env.get("KEFU_PUBLIC_URL") or "").strip().rstrip("/")
    if not url:
        return f"http://{env.get('KEFU_HOST', '127.0.0.1')}:{env.get('KEFU_PORT', '8000')}"
    if not url.startswith(("http://", "https://")):
        raise SettingsError(f"KEFU_PUBLIC_URL: use http(s)://host[:port], not {url!r}")
    return url


def parse_database_url(url: str, root: Path, name: str = "KEFU_DATABASE_URL") -> DatabaseUrl:
    """`sqlite:///relative.db`, `sqlite:////absolute.db` or `postgresql://user:pw@host:port/db`.

    `name` is the variable the URL came from, so the error names the right one.
    """
    if url.startswith("sqlite:///"):
        rest = url[len("sqlite:///") :]
        if not rest or rest == "/":
            raise SettingsError(f"{name}: no SQLite file path in {url!r}")
        path = Path(rest) if rest.startswith("/") else root / rest
        return DatabaseUrl(engine="sqlite", path=path)
    parts = urlsplit(url)
    if parts.scheme in ("postgresql", "postgres"):
        if not parts.hostname or not parts.path.strip("/"):
            raise SettingsError(f"{name}: needs a host and a database name: {url!r}")
        return DatabaseUrl(engine="postgres", dsn=url.replace("postgres://", "postgresql://", 1))
    raise SettingsError(
        f"{name}: use sqlite:///relative/path.db, sqlite:////absolute/path.db "
        f"or postgresql://user:password@host:port/db, not {url!r}"
    )


def _trusted_proxies(env: Mapping[str, str]) -> tuple[IPv4Network | IPv6Network, ...]:
    """KEFU_TRUSTED_PROXIES: addresses or networks (comma-separated) of the reverse proxies
    whose X-Forwarded-For is believed; empty (the default) believes no one."""
    found = []
    for item in (env.get("KEFU_TRUSTED_PROXIES") or "").split(","):
        if item.strip():
            try:
                found.append(ip_network(item.strip(), strict=False))
            except ValueError:
                raise SettingsError(
                    f"KEFU_TRUSTED_PROXIES: {item.strip()!r} is not an IP address or network (e.g. 10.0.0.0/8)"
                ) from None
    return tuple(found)


def _redis_url(env: dict[str, str]) -> str | None:
    url = env.get("KEFU_REDIS_URL") or None
    if url and urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise SettingsError(f"KEFU_REDIS_URL: use redis://host:port/db, not {url!r}")
    return url


def _read_secret(path: Path) -> str:
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise SettingsError(
            f"KEFU_SECRET_KEY: {path} holds fewer than 32 characters; delete it or set the variable"
        )
    return secret


def _read_or_create_secret(path: Path) -> str:
    if path.exists():
        return _read_secret(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret)
    return secret


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}") from None


def _retention(env: dict[str, str]) -> int:
    days = _int(env, "KEFU_JOB_RETENTION_DAYS", 7)
    if days < 1:
        raise SettingsError(f"KEFU_JOB_RETENTION_DAYS: expected at least 1 day, got {days}")
    return days


@dataclass(frozen=True)
class Settings:
    env: str
    root: Path
    var_dir: Path
    database: DatabaseUrl
    migrate_database: DatabaseUrl
    redis_url: str | None
    secret_key: str = field(repr=False)
    # Fernet key for secrets stored in the database (kefu.core.crypto); derived from secret_key
    # when unset.
    encryption_key: str | None = field(default=None, repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    # Where customers reach the public pages (links in invitations and on QR posters), with no
    # trailing slash; defaults to http://host:port.
    public_url: str = ""
    workers: int = 1
    db_app_role: str | None = None
    db_app_password: str | None = None
    signin_max_failures: int = 5
    # Failed sign-ins per account from all addresses together (a guesser with many addresses).
    signin_account_max_failures: int = 20
    # Reverse proxies whose X-Forwarded-For names the client (kefu.core.public.client_address).
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    signin_window_seconds: int = 900
    session_max_age: int = 12 * 3600
    secure_cookies: bool = False
    default_locale: str = "zh_CN"
    # Outgoing mail for notices; without a host, email notices fail as "not configured".
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "kefu@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    # Aliyun SMS's API address (tenants configure their own keys); tests point it at a local server.
    aliyun_sms_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    # Finished jobs (and the files they made or read) are deleted this many days after they end.
    job_retention_days: int = 7
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def embedded_broker(self) -> bool:
        return self.redis_url is None

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def tenants_dir(self) -> Path:
        return self.root / "tenants"

    @property
    def migrations_dir(self) -> Path:
        return self.root / "migrations"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    root = Path(env["KEFU_ROOT"]).resolve() if env.get("KEFU_ROOT") else project_root()
    mode = env.get("KEFU_ENV", "development")
    if mode not in ("development", "production", "test"):
        raise SettingsError(f"KEFU_ENV: expected development, production or test, got {mode!r}")
    var_dir = root / (env.get("KEFU_VAR_DIR") or "var")  # a relative KEFU_VAR_DIR is under the root
    database = parse_database_url(env.get("KEFU_DATABASE_URL") or "sqlite:///var/kefu.db", root)
    migrate_url = env.get("KEFU_MIGRATE_DATABASE_URL")
    migrate_database = parse_database_url(migrate_url, root, "KEFU_MIGRATE_DATABASE_URL") if migrate_url else database
    locale = env.get("KEFU_DEFAULT_LOCALE", "zh_CN")
    if locale not in ("zh_CN", "en"):
        raise SettingsError(f"KEFU_DEFAULT_LOCALE: expected zh_CN or en, got {locale!r}")
    return Settings(
        env=mode,
        root=root,
        var_dir=var_dir,
        database=database,
        migrate_database=migrate_database,
        redis_url=_redis_url(env),
        secret_key=_secret_key(env, mode, var_dir),
        encryption_key=_encryption_key(env),
        host=env.get("KEFU_HOST", "127.0.0.1"),
        port=_int(env, "KEFU_PORT", 8000),
        public_url=_public_url(env),
        workers=_int(env, "KEFU_WORKERS", 1),
        db_app_role=env.get("KEFU_DB_APP_ROLE") or None,
        db_app_password=env.get("KEFU_DB_APP_PASSWORD") or None,
        signin_max_failures=_int(env, "KEFU_SIGNIN_MAX_FAILURES", 5),
        signin_window_seconds=_int(env, "KEFU_SIGNIN_WINDOW_SECONDS", 900),
        signin_account_max_failures=_int(env, "KEFU_SIGNIN_ACCOUNT_MAX_FAILURES", 20),
        trusted_proxies=_trusted_proxies(env),
        session_max_age=_int(env, "KEFU_SESSION_MAX_AGE", 12 * 3600),
        secure_cookies=mode == "production" or env.get("KEFU_SECURE_COOKIES") == "1",
        default_locale=locale,
        **_smtp(env),
        aliyun_sms_endpoint=env.get("KEFU_ALIYUN_SMS_ENDPOINT") or "https://dysmsapi.aliyuncs.com/",
        job_retention_days=_retention(env),
    )


def _secret_key(env: dict[str, str], mode: str, var_dir: Path) -> str:
    secret = env.get("KEFU_SECRET_KEY")
    if not secret:
        if mode == "production":
            raise SettingsError("KEFU_SECRET_KEY: required when KEFU_ENV=production")
        secret = _read_or_create_secret(var_dir / "secret_key")
    if len(secret) < 32:
        raise SettingsError("KEFU_SECRET_KEY: must be at least 32 characters")
    return secret


def _encryption_key(env: dict[str, str]) -> str | None:
    key = env.get("KEFU_ENCRYPTION_KEY") or None
    if key and len(key) != 44:
        raise SettingsError("KEFU_ENCRYPTION_KEY: expected a Fernet key (44 url-safe base64 characters)")
    return key


class _Smtp(TypedDict):
    smtp_host: str | None
    smtp_port: int
    smtp_from: str
    smtp_user: str | None
    smtp_password: str | None
    smtp_starttls: bool


def _smtp(env: dict[str, str]) -> _Smtp:
    return {
        "smtp_host": env.get("KEFU_SMTP_HOST") or None,
        "smtp_port": _int(env, "KEFU_SMTP_PORT", 25),
        "smtp_from": env.get("KEFU_SMTP_FROM") or "kefu@localhost",
        "smtp_user": env.get("KEFU_SMTP_USER") or None,
        "smtp_password": env.get("KEFU_SMTP_PASSWORD") or None,
        "smtp_starttls": env.get("KEFU_SMTP_STARTTLS", "") in ("1", "true", "yes"),
    }


_settings: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings; tests reset them with `reset_settings()`."""
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def reset_settings() -> None:
    global _settings
    _settings = None
