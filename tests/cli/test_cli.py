"""The `kefu` command line.

Most commands run in-process through `kefu.cli.main()` on a worker thread (main() calls
asyncio.run, which cannot run on the test's own event loop); commands that need a separate
process (migrate as the owner role, the drift check, the real entry point) run as
`python -m kefu.cli` with the test environment.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest

import kefu.settings
from kefu.accounts.tables import User
from kefu.cli import main
from kefu.demo import DEMO_PASSWORD, STAFF, TENANTS
from kefu.settings import get_settings
from kefu.tenancy.tables import Membership, Tenant
from tests.factories import unique

PASSWORD = "cli-password-2026"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def one_error_line(self, *fragments: str) -> str:
        assert self.code == 1, (self.code, self.out, self.err)
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("error: "), lines[0]
        for fragment in fragments:
            assert fragment in lines[0], (fragment, lines[0])
        return lines[0]


@pytest.fixture
def cli(capsys):
    async def run(*argv: str) -> Result:
        capsys.readouterr()
        code = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def kefu_process(*argv: str, **env: str | None) -> Result:
    environ = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for key, value in env.items():
        if value is None:
            environ.pop(key, None)
    proc = subprocess.run(
        [sys.executable, "-m", "kefu.cli", *argv], env=environ, capture_output=True, text=True, timeout=120
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


async def new_tenant(cli, kind: str = "insurance") -> str:
    slug = unique("cli")
    result = await cli("tenant", "create", "--slug", slug, "--name", f"CLI {slug}", "--kind", kind)
    assert result.code == 0, result.err
    return slug


# --- tenants -----------------------------------------------------------------------------------


async def test_tenant_create_then_list(cli):
    slug = unique("cli")
    created = await cli("tenant", "create", "--slug", slug, "--name", "命令行 CLI", "--kind", "property")
    assert created.code == 0, created.err
    assert created.err == ""
    assert re.fullmatch(rf"created tenant {slug} \(property\) id=\d+\n", created.out)
    tenant = await Tenant.objects().where(Tenant.slug == slug).first()
    assert (tenant.name, tenant.kind, tenant.timezone, tenant.locale) == ("命令行 CLI", "property", "Asia/Shanghai", "zh_CN")
    listed = await cli("tenant", "list")
    assert listed.code == 0
    assert f"{slug}\tproperty\t命令行 CLI" in listed.out.splitlines()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--slug", "Not A Slug!", "--kind", "insurance"], "slug"),
        (["--slug=-leading-hyphen", "--kind", "insurance"], "slug"),
        (["--slug", "{fresh}", "--kind", "shipping"], "kind"),
    ],
)
async def test_tenant_create_rejects_bad_input(cli, args, field):
    args = [a.replace("{fresh}", unique("cli")) for a in args]
    before = await Tenant.count()
    result = await cli("tenant", "create", "--name", "Bad", *args)
    result.one_error_line(f"error: {field}:")
    assert result.out == ""
    assert await Tenant.count() == before


async def test_tenant_create_duplicate_slug(cli):
    slug = await new_tenant(cli)
    result = await cli("tenant", "create", "--slug", slug, "--name", "Again", "--kind", "property")
    result.one_error_line("error: slug:")
    assert (await Tenant.objects().where(Tenant.slug == slug).first()).kind == "insurance"


# --- users -------------------------------------------------------------------------------------


async def test_user_create_as_member_and_as_superuser(cli):
    slug = await new_tenant(cli)
    email = f"{unique('agent')}@example.test"
    made = await cli("user", "create", "--email", email, "--password", PASSWORD, "--tenant", slug, "--position", "agent")
    assert made.code == 0, made.err
    assert made.out.strip() == f"created user {email} as agent in {slug}"
    user = await User.objects().where(User.email == email).first()
    assert user is not None and not user.is_superuser
    assert user.name == email.split("@")[0]
    tenant = await Tenant.objects().where(Tenant.slug == slug).first()
    membership = await Membership.objects().where(Membership.user == user.id, Membership.tenant == tenant.id).first()
    assert membership.positions_list() == ["agent"]

    boss = f"{unique('root')}@example.test"
    made = await cli("user", "create", "--email", boss, "--password", PASSWORD, "--name", "平台 Boss", "--superuser")
    assert made.code == 0, made.err
    assert made.out.strip() == f"created user {boss} (superuser)"
    user = await User.objects().where(User.email == boss).first()
    assert user.is_superuser and user.name == "平台 Boss"
    assert not await Membership.exists().where(Membership.user == user.id)


async def test_user_create_errors_are_one_line_and_change_nothing(cli):
    slug = await new_tenant(cli)
    email = f"{unique('nobody')}@example.test"
    base = ["user", "create", "--email", email, "--password", PASSWORD]
    (await cli(*base)).one_error_line("--superuser")
    (await cli(*base, "--tenant", slug)).one_error_line("--position")
    (await cli(*base, "--tenant", "no-such-tenant", "--position", "agent")).one_error_line("no-such-tenant")
    (await cli(*base, "--tenant", slug, "--position", "janitor")).one_error_line("--position", "janitor")
    (await cli("user", "create", "--email", "not-an-email", "--password", PASSWORD, "--superuser")).one_error_line(
        "error: email:"
    )
    (await cli(*base[:-1], "short", "--superuser")).one_error_line("error: password:")
    assert not await User.exists().where(User.email == email)


# --- API tokens --------------------------------------------------------------------------------


async def test_token_create_authenticates_the_tenant_api(cli, client):
    slug = await new_tenant(cli)
    other = await new_tenant(cli, kind="property")
    email = f"{unique('api')}@example.test"
    made = await cli("user", "create", "--email", email, "--password", PASSWORD, "--tenant", slug, "--position", "admin")
    assert made.code == 0, made.err
    tenant = await Tenant.objects().where(Tenant.slug == slug).first()

    result = await cli("token", "create", "--tenant", slug, "--email", email.upper(), "--label", "robot")
    assert result.code == 0, result.err
    token = result.out.strip()
    assert re.fullmatch(rf"kf_{tenant.id}_[A-Za-z0-9_-]{{20,}}", token), token

    response = await client.get(f"/api/t/{slug}/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tenant"]["slug"] == slug
    assert body["user"]["email"] == email
    assert body["positions"] == ["admin"]

    # Valid only for its own tenant, and only as a bearer token.
    assert (await client.get(f"/api/t/{other}/me", headers={"authorization": f"Bearer {token}"})).status_code == 404
    assert (await client.get(f"/api/t/{slug}/me")).status_code == 401
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert (await client.get(f"/api/t/{slug}/me", headers={"authorization": f"Bearer {forged}"})).status_code == 401


async def test_token_create_errors(cli):
    slug = await new_tenant(cli)
    outsider = f"{unique('out')}@example.test"
    assert (await cli("user", "create", "--email", outsider, "--password", PASSWORD, "--superuser")).code == 0
    (await cli("token", "create", "--tenant", "no-such-tenant", "--email", outsider)).one_error_line("no-such-tenant")
    (await cli("token", "create", "--tenant", slug, "--email", "ghost@example.test")).one_error_line(
        "ghost@example.test"
    )
    (await cli("token", "create", "--tenant", slug, "--email", outsider)).one_error_line("error: email:")


# --- demo, migrate, drift ----------------------------------------------------------------------


async def test_demo_is_idempotent_and_prints_the_sign_ins(cli):
    first = await cli("demo")
    assert first.code == 0, first.err
    tenants, users = await Tenant.count(), await User.count()
    second = await cli("demo")
    assert second.code == 0, second.err
    assert (await Tenant.count(), await User.count()) == (tenants, users)
    assert second.out == first.out
    for slug, _name, kind in TENANTS:
        assert (await Tenant.objects().where(Tenant.slug == slug).first()).kind == kind
    for email, *_ in STAFF:
        line = next(line for line in second.out.splitlines() if email in line)
        assert DEMO_PASSWORD in line
    assert "/signin" in second.out
    admin = await User.objects().where(User.email == "admin@kefu.test").first()
    assert admin.is_superuser
    assert await Membership.count().where(Membership.user == admin.id) == 2


def test_migrate_again_is_a_no_op():
    result = kefu_process("migrate")
    assert result.code == 0, result.err
    assert "migrations applied" in result.out
    assert "Running" not in result.out
    assert "complaints: up to date" in result.out


def test_migrate_on_a_fresh_database_says_what_it_applied(tmp_path):
    result = kefu_process(
        "migrate", KEFU_DATABASE_URL=f"sqlite:///{tmp_path}/fresh.db", KEFU_MIGRATE_DATABASE_URL=None,
        KEFU_DB_APP_ROLE=None,
    )
    assert result.code == 0, result.err
    assert "already complete" not in result.out  # Piccolo's banner said so on a fresh database
    assert re.search(r"^complaints: \d+ migrations? applied$", result.out, re.M), result.out
    assert "up to date" not in result.out


def test_no_drift_between_models_and_migrations():
    result = kefu_process("migrations-drift")
    assert result.code == 0, result.err
    assert "no drift" in result.out


def test_drift_is_detected(tmp_path):
    # A root whose migrations lack the workers app's: the Heartbeat model has no migration.
    shutil.copytree(get_settings().migrations_dir, tmp_path / "migrations")
    for path in (tmp_path / "migrations" / "workers").glob("workers_*.py"):
        path.unlink()
    result = kefu_process("migrations-drift", KEFU_ROOT=str(tmp_path))
    result.one_error_line("models and migrations differ", "workers_")
    assert list((tmp_path / "migrations" / "workers").glob("workers_*.py")) == []  # worked on a copy


# --- worker and scheduler need Redis -----------------------------------------------------------


def test_worker_without_redis_is_one_line():
    result = kefu_process("worker", KEFU_REDIS_URL=None)
    result.one_error_line("error: kefu worker needs KEFU_REDIS_URL")


async def test_scheduler_without_redis_is_one_line(cli, monkeypatch):
    # In-process, with settings that lack Redis (on the Redis run the environment has it).
    monkeypatch.setattr(kefu.settings, "_settings", dataclasses.replace(get_settings(), redis_url=None))
    (await cli("scheduler")).one_error_line("error: kefu scheduler needs KEFU_REDIS_URL")
