import pytest

from kefu.db import is_postgres, transaction
from kefu.notifications import jobs  # noqa: F401 — registers the actors
from kefu.notifications.tables import Notice
from kefu.workers.registry import JOBS, SWEEPS
from kefu.workers.scheduler import tick
from tests import factories as platform
from tests.notifications.factories import owe


def test_delivery_and_the_sweep_are_registered_jobs_and_the_sweep_runs_every_tick():
    assert {"deliver_notice", "sweep_notices"} <= set(JOBS)
    assert "sweep_notices" in SWEEPS


async def test_a_scheduler_tick_enqueues_the_notice_sweep(monkeypatch):
    sent = []

    async def record(name, *args):
        sent.append((name, *args))

    monkeypatch.setattr("kefu.workers.scheduler.enqueue", record)
    await tick("test")
    assert ("sweep_notices",) in sent


async def test_the_sweep_enqueues_due_notices_of_every_tenant(enqueued):
    tenant_a, tenant_b = await platform.tenant(), await platform.tenant(kind="property")
    a, b = await owe(tenant_a), await owe(tenant_b)
    await JOBS["sweep_notices"]()
    assert ("deliver_notice", tenant_a.id, a) in enqueued
    assert ("deliver_notice", tenant_b.id, b) in enqueued


async def test_row_level_security_hides_another_tenants_notices_even_from_an_unscoped_query():
    if not is_postgres():
        pytest.skip("row-level security is PostgreSQL's")
    tenant_a, tenant_b = await platform.tenant(), await platform.tenant()
    notice_id = await owe(tenant_a)
    async with transaction(tenant_b.id, write=False):
        assert await Notice.select(Notice.id).where(Notice.id == notice_id) == []
    async with transaction(tenant_a.id, write=False):
        assert await Notice.select(Notice.id).where(Notice.id == notice_id) == [{"id": notice_id}]
