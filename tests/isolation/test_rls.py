"""Row-level security on PostgreSQL, checked in the catalogs and by querying as the app role.

The app role is the one KEFU_DATABASE_URL connects as; KEFU_MIGRATE_DATABASE_URL is the owner
(`kefu migrate` runs as it and grants the app role its rights, see kefu.migrate).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
import pytest_asyncio

from tests import factories
from tests.isolation.tenant_tables import tenant_owned_classes

pytestmark = pytest.mark.skipif(
    not os.environ.get("KEFU_TEST_DATABASE_URL"), reason="row-level security is PostgreSQL only"
)

asyncpg = pytest.importorskip("asyncpg")

# Tenant-owned tables deliberately without row-level security, and why.
RLS_EXEMPT = {
    "membership": "platform-level: a user's tenant switcher lists their memberships across tenants",
}
SETTING = "app.tenant_id"


@asynccontextmanager
async def connect(variable: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(os.environ[variable])
    try:
        yield conn
    finally:
        await conn.close()


def app_role():
    return connect("KEFU_DATABASE_URL")


def owner():
    return connect("KEFU_MIGRATE_DATABASE_URL")


@asynccontextmanager
async def in_tenant(conn, tenant_id: int) -> AsyncIterator[None]:
    """A transaction with the tenant set the way kefu.db does it, rolled back at the end."""
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.execute("SELECT set_config($1, $2, true)", SETTING, str(tenant_id))
        yield
    except BaseException:
        await tx.rollback()
        raise
    await tx.rollback()


@dataclass
class Rows:
    a: int  # tenant ids
    b: int
    a_event: int
    b_event: int


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def rows(app, cast) -> Rows:
    """Rows of audit_event and api_token in both tenants, made through the app's own code."""
    a_event = await factories.audit_event(cast.tenant_a, factories.unique("rls-a"))
    b_event = await factories.audit_event(cast.tenant_b, factories.unique("rls-b"))
    await factories.api_token(cast.tenant_a, cast.alice)
    await factories.api_token(cast.tenant_b, cast.carol)
    return Rows(cast.tenant_a.id, cast.tenant_b.id, a_event, b_event)


async def test_app_engine_is_this_postgres_as_the_app_role():
    """The app under test really talks to PostgreSQL as the restricted role (else RLS is untested)."""
    from kefu.db import current_engine, is_postgres

    assert is_postgres(current_engine()), f"the app's engine is {current_engine()!r}, not PostgreSQL"
    async with app_role() as conn:
        expected = await conn.fetchrow("SELECT current_user AS u, current_database() AS db")
    got = await current_engine().run_ddl("SELECT current_user AS u, current_database() AS db")
    assert dict(got[0]) == dict(expected), f"the app connects as {dict(got[0])}, the test's app role is {dict(expected)}"


async def test_app_role_cannot_bypass_rls():
    async with app_role() as conn:
        role = await conn.fetchrow(
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        owned = await conn.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')"
        )
    assert role["rolsuper"] is False, f"{role['rolname']} is a superuser: it sees every row"
    assert role["rolbypassrls"] is False, f"{role['rolname']} has BYPASSRLS"
    assert not owned, f"{role['rolname']} owns (could disable RLS on) {[r['relname'] for r in owned]}"


async def test_every_tenant_table_has_forced_rls_and_a_tenant_policy():
    async with owner() as conn:
        tables = await conn.fetch(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
        )
        policies = await conn.fetch(
            "SELECT tablename, policyname, permissive, cmd, qual, with_check "
            "FROM pg_policies WHERE schemaname = 'public'"
        )
    by_table = {r["relname"]: r for r in tables}
    # Every tenant-owned Piccolo table is in the catalog with its tenant_id (non-vacuous).
    declared = {cls._meta.tablename for cls in tenant_owned_classes()}
    assert {"audit_event", "api_token"} <= declared
    assert declared <= set(by_table), f"tenant-owned tables without tenant_id: {declared - set(by_table)}"
    problems = []
    for name, row in sorted(by_table.items()):
        if name in RLS_EXEMPT:
            continue
        if not row["relrowsecurity"]:
            problems.append(f"{name}: row level security is not enabled")
        if not row["relforcerowsecurity"]:
            problems.append(f"{name}: row level security is not forced (the owner bypasses it)")
        mine = [p for p in policies if p["tablename"] == name]
        if not any(p["cmd"] == "ALL" and SETTING in (p["qual"] or "") and SETTING in (p["with_check"] or "") for p in mine):
            problems.append(f"{name}: no policy for ALL commands on {SETTING} in USING and WITH CHECK")
        # Permissive policies are OR-ed: one that ignores the tenant opens the table.
        for p in mine:
            for expr in (p["qual"], p["with_check"]):
                if p["permissive"] == "PERMISSIVE" and expr is not None and SETTING not in expr:
                    problems.append(f"{name}: permissive policy {p['policyname']} ignores the tenant: {expr}")
    assert not problems, "\n".join(problems)


async def test_no_tenant_set_sees_no_rows(rows: Rows):
    async with app_role() as conn:
        for table in ("audit_event", "api_token"):
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0, (  # noqa: S608
                f"{table}: rows visible with no tenant set"
            )
            await conn.execute("SELECT set_config($1, '', false)", SETTING)  # set but empty
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0  # noqa: S608
            async with in_tenant(conn, rows.a):  # while rows do exist
                assert await conn.fetchval(f"SELECT count(*) FROM {table}") > 0  # noqa: S608


async def test_the_app_sees_no_rows_without_a_tenant(rows: Rows):
    """The same through Piccolo and kefu.db.transaction, the way the app queries."""
    from kefu.audit.tables import AuditEvent
    from kefu.db import transaction

    assert await AuditEvent.count() == 0
    async with transaction(rows.a, write=False):
        seen = set(await AuditEvent.select(AuditEvent.tenant).distinct().output(as_list=True))
    assert seen == {rows.a}
    assert await AuditEvent.count() == 0, "the tenant setting outlived its transaction"


async def test_tenant_set_sees_only_its_rows(rows: Rows):
    async with app_role() as conn:
        async with in_tenant(conn, rows.a):
            for table in ("audit_event", "api_token"):
                tenants = {r["tenant_id"] for r in await conn.fetch(f"SELECT DISTINCT tenant_id FROM {table}")}  # noqa: S608
                assert tenants == {rows.a}, f"{table}: tenant A's transaction sees tenants {tenants}"
            ids = {r["id"] for r in await conn.fetch("SELECT id FROM audit_event")}
            assert rows.a_event in ids and rows.b_event not in ids
            assert await conn.fetchval("SELECT count(*) FROM audit_event WHERE id = $1", rows.b_event) == 0
        async with in_tenant(conn, 2_000_000_000):  # no such tenant
            assert await conn.fetchval("SELECT count(*) FROM audit_event") == 0


async def test_setting_resets_at_commit_on_the_same_connection(rows: Rows):
    """The tenant kefu.db's BEGIN sets dies with the transaction, so a pooled connection is clean."""
    from kefu.db import begin_for_tenant

    async with app_role() as conn:
        await conn.execute(begin_for_tenant(rows.a))
        assert await conn.fetchval("SELECT count(*) FROM audit_event") > 0
        await conn.execute("COMMIT")
        assert await conn.fetchval("SELECT current_setting($1, true)", SETTING) in (None, "")
        assert await conn.fetchval("SELECT count(*) FROM audit_event") == 0


async def _insert_event(conn, tenant_id: int) -> None:
    await conn.execute(
        "INSERT INTO audit_event (tenant_id, action, object_type, request_id, created_at) "
        "VALUES ($1, 'test.rls', 'test', $2, now())",
        tenant_id, uuid.uuid4().hex,
    )


async def test_with_check_refuses_another_tenants_rows(rows: Rows):
    async with app_role() as conn:
        async with in_tenant(conn, rows.a):
            await _insert_event(conn, rows.a)  # positive control: A's own row is accepted
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            async with in_tenant(conn, rows.a):
                await _insert_event(conn, rows.b)
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            async with in_tenant(conn, rows.a):
                await conn.execute("UPDATE api_token SET tenant_id = $1 WHERE tenant_id = $2", rows.b, rows.a)
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            async with conn.transaction():  # no tenant set: every insert is refused
                await _insert_event(conn, rows.a)
        async with in_tenant(conn, rows.a):
            assert await conn.execute("UPDATE api_token SET label = 'x' WHERE tenant_id = $1", rows.b) == "UPDATE 0"
            assert await conn.execute("DELETE FROM api_token WHERE tenant_id = $1", rows.b) == "DELETE 0"


async def test_audit_event_is_append_only_for_the_app_role(rows: Rows):
    async with app_role() as conn:
        for privilege, granted in (("SELECT", True), ("INSERT", True), ("UPDATE", False), ("DELETE", False), ("TRUNCATE", False)):
            has = await conn.fetchval("SELECT has_table_privilege(current_user, 'audit_event', $1)", privilege)
            assert has is granted, f"app role {privilege} on audit_event: {has}, expected {granted}"
        for sql in (
            "UPDATE audit_event SET action = 'tampered' WHERE id = $1",
            "DELETE FROM audit_event WHERE id = $1",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                async with in_tenant(conn, rows.a):
                    await conn.execute(sql, rows.a_event)
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            async with in_tenant(conn, rows.a):
                await conn.execute("TRUNCATE audit_event")
        async with in_tenant(conn, rows.a):
            action = await conn.fetchval("SELECT action FROM audit_event WHERE id = $1", rows.a_event)
    assert action == "test.marker"
