"""The platform console's health page: the service, the scheduler's heartbeats, each job queue's
numbers (waiting, failed, done, the oldest waiting), and every tenant with its state and its
outbox's notices by state. Counts only, never a tenant's content; platform admins only."""

from __future__ import annotations

import re

import pytest_asyncio

from kefu.notifications.services import Recipient
from kefu.workers.embedded import embedded_worker
from kefu.workers.registry import enqueue
from kefu.workers.tables import Heartbeat
from tests import factories
from tests.accounts.support import is_signin_redirect
from tests.notifications.factories import owe

URL = "/admin/health"


@pytest_asyncio.fixture(loop_scope="session")
async def root(make_client):
    person = await factories.user(name="Root 运维", superuser=True)
    c = make_client()
    await c.signin(person.email)
    return c


def _row(page: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', page, re.S)
    assert match, f"no row {row_id}"
    return match.group(1)


def _cell(row: str, css: str) -> str:
    match = re.search(rf'<td class="{css}">(.*?)</td>', row, re.S)
    assert match, f"no cell {css} in {row}"
    return match.group(1).strip()


async def test_the_page_shows_the_service_and_the_heartbeat(root):
    source = factories.unique("beat")
    await Heartbeat.insert(Heartbeat(source=source))
    page = await root.get(URL)
    assert page.status_code == 200
    assert re.search(r'id="health-db">OK<', page.text)
    assert source in page.text
    assert 'id="health-link"' in (await root.get("/admin/tenants")).text  # reachable from the console


async def test_a_queue_counts_its_jobs(root):
    before = _row((await root.get(URL)).text, "queue-default")
    await enqueue("heartbeat", factories.unique("q"))
    worker = embedded_worker()
    if worker is not None:  # embedded: the app's worker runs it; it is counted as done
        await worker.join()
        after = _row((await root.get(URL)).text, "queue-default")
        assert int(_cell(after, "done")) == int(_cell(before, "done")) + 1
        assert _cell(after, "waiting") == "0"
    else:  # Redis, no worker in this process: it waits, and its age shows
        after = _row((await root.get(URL)).text, "queue-default")
        assert int(_cell(after, "waiting")) == int(_cell(before, "waiting")) + 1
        assert "min ago" in _cell(after, "oldest") or "分钟前" in _cell(after, "oldest")


async def test_each_tenant_shows_its_state_and_outbox_counts_without_content(root):
    tenant = await factories.tenant(name="控制台租户")
    off = await factories.tenant(name="停用租户")
    marker = factories.unique("收件人")
    await owe(tenant, recipient=Recipient(name=marker, email="x@example.test", locale="zh_CN"))
    await root.post(f"/admin/tenants/{off.id}/deactivate", {})

    page = (await root.get(URL)).text
    row = _row(page, f"tenant-{tenant.id}")
    counts = [int(n) for n in re.findall(r'<td class="state-\w+">(\d+)</td>', row)]
    assert sum(counts) == 1
    assert "Active" in _cell(row, "tenant-state")
    assert "Deactivated" in _row(page, f"tenant-{off.id}")
    assert marker not in page  # counts, not content


async def test_only_platform_admins_see_it(as_alice, client):
    assert (await as_alice.get(URL)).status_code == 403
    assert is_signin_redirect(await client.get(URL)) or (await client.get(URL)).status_code == 401


async def test_a_sweep_that_ran_shows_its_last_run(root):
    from kefu.workers.registry import JOBS, load_jobs

    load_jobs()
    await JOBS["sweep_notices"]()  # what the worker runs when the scheduler enqueues it
    page = (await root.get(URL)).text
    assert re.search(r"sweep:sweep_notices</th><td class=\"heartbeat\">[^<]*\d", page)
