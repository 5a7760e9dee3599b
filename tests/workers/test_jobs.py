"""Heavy work off the request (kefu.workers.services): one job table, one page polled by htmx
until the work is done, then its result; a job runs once whoever delivers it twice; a refusal
or a crash ends it failed with a message; a thread's progress reaches the page while it runs;
a job is its member's own."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import timedelta

import pytest_asyncio

from kefu.core import clock
from kefu.core.uploads import UploadError
from kefu.db import transaction
from kefu.workers import services
from kefu.workers.registry import JOBS
from kefu.workers.tables import Job
from tests.fixtures import staff_of


@pytest_asyncio.fixture(loop_scope="session")
async def desk(app):
    made = await staff_of("insurance", {"manager": "admin", "other": "admin"}, app=app, fresh=True)
    yield made
    await made.aclose()


async def _job(desk, who: str = "manager", **values) -> Job:
    """A stored job of `who`, not sent to any worker (the test runs it)."""
    job = Job(tenant=desk.tenant.id, name="check_customer_import", title="Checking the customer file",
              created_by=desk.users[who].id, **values)
    async with transaction(desk.tenant.id):
        await job.save()
    return job


async def _row(desk, job_id: int) -> dict:
    async with transaction(desk.tenant.id, write=False):
        return await Job.select().where(Job.tenant == desk.tenant.id, Job.id == job_id).first()


async def test_a_waiting_job_page_polls_its_progress(desk):
    job = await _job(desk)
    client = await desk.client("manager")
    page = await client.get(desk.url(f"/jobs/{job.id}"))
    assert page.status_code == 200 and 'data-state="queued"' in page.text
    assert f'hx-get="/t/{desk.slug}/jobs/{job.id}"' in page.text and 'hx-trigger="every 1s"' in page.text
    assert "Checking the customer file" in page.text
    fragment = await client.get(desk.url(f"/jobs/{job.id}"), headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="job-progress"') and "<html" not in fragment.text


async def test_a_thread_s_progress_reaches_the_page_while_it_runs(desk):
    job = await _job(desk)
    client = await desk.client("manager")
    halfway, release = threading.Event(), threading.Event()

    def work(progress):
        progress.total, progress.done = 200, 50
        halfway.set()
        release.wait(10)
        return "read"

    async def run(job_run):
        assert await job_run.in_thread(work) == "read"
        return services.Page("customers.import")

    running = asyncio.create_task(services.run_job(desk.tenant.id, job.id, run))
    await asyncio.to_thread(halfway.wait, 10)
    await asyncio.sleep(services.POLL_SECONDS * 3)
    page = await client.get(desk.url(f"/jobs/{job.id}"), headers={"HX-Request": "true"})
    release.set()
    await running
    assert 'data-state="running"' in page.text and "50 of 200 done." in page.text
    assert '<progress value="25" max="100">' in page.text

    # Done: the poll sends the browser to the result's page, a plain visit is redirected there.
    done = await client.get(desk.url(f"/jobs/{job.id}"), headers={"HX-Request": "true"})
    assert done.headers["HX-Redirect"] == f"/t/{desk.slug}/customers/import"
    assert (await client.get(desk.url(f"/jobs/{job.id}"))).headers["location"] == f"/t/{desk.slug}/customers/import"
    row = await _row(desk, job.id)
    assert row["state"] == "done" and row["finished_at"] is not None and row["upload"] is None


async def test_a_workbook_written_inside_an_open_read_shows_its_rows_as_it_goes(desk):
    """An export job reads in a transaction and writes its workbook in a thread with that read
    still open (run_export): the rows the Excel writer counts reach the page meanwhile."""
    from kefu.core import excel

    job = await _job(desk)
    client = await desk.client("manager")
    halfway, release = threading.Event(), threading.Event()

    def rows():
        for n in range(300):
            if n == 120:
                halfway.set()
                release.wait(10)
            yield [n, f"第{n}行"]

    async def run(job_run):
        async with transaction(desk.tenant.id, write=False):
            content = await job_run.in_thread(lambda _: excel.table("行", ["n", "名"], rows(), total=300))
        assert content[:2] == b"PK"
        return services.Page("customers.import")

    running = asyncio.create_task(services.run_job(desk.tenant.id, job.id, run))
    await asyncio.to_thread(halfway.wait, 10)
    await asyncio.sleep(services.POLL_SECONDS * 3)
    page = await client.get(desk.url(f"/jobs/{job.id}"), headers={"HX-Request": "true"})
    release.set()
    await running
    assert 'data-state="running"' in page.text and "120 of 300 done." in page.text
    assert (await _row(desk, job.id))["state"] == "done"


async def test_a_job_delivered_twice_does_its_work_once(desk):
    job = await _job(desk)
    calls = []

    async def work(job_run):
        calls.append(job_run.job.id)
        return services.Page("customers.import")

    await asyncio.gather(services.run_job(desk.tenant.id, job.id, work),
                         services.run_job(desk.tenant.id, job.id, work))
    await services.run_job(desk.tenant.id, job.id, work)
    assert calls == [job.id]


async def test_a_refusal_and_a_crash_end_the_job_failed_with_a_message(desk, caplog):
    refused, crashed = await _job(desk), await _job(desk)
    client = await desk.client("manager")

    async def refuse(job_run):
        raise UploadError("The file has more than %(max)s rows; split it into several files.", max=20000)

    async def crash(job_run):
        raise RuntimeError("a bug")

    await services.run_job(desk.tenant.id, refused.id, refuse)
    with caplog.at_level(logging.ERROR, logger="kefu.jobs"):
        await services.run_job(desk.tenant.id, crashed.id, crash)
    page = await client.get(desk.url(f"/jobs/{refused.id}"))
    assert 'data-state="failed"' in page.text and "The file has more than 20000 rows" in page.text
    assert 'hx-trigger' not in page.text
    page = await client.get(desk.url(f"/jobs/{crashed.id}"))
    assert "The work stopped on an unexpected error. Nothing was changed; try again." in page.text
    assert "a bug" not in page.text and any("a bug" in r.getMessage() or r.exc_info for r in caplog.records)


async def test_a_file_a_job_made_is_fetched_by_its_member_only(desk, make_staff):
    job = await _job(desk)

    async def export(job_run):
        return services.File("客户.xlsx", "application/vnd.ms-excel", b"PK-the-workbook")

    await services.run_job(desk.tenant.id, job.id, export)
    client = await desk.client("manager")
    page = await client.get(desk.url(f"/jobs/{job.id}"))
    assert 'id="job-file"' in page.text and "客户.xlsx" in page.text
    got = await client.get(desk.url(f"/jobs/{job.id}/file"))
    assert got.status_code == 200 and got.content == b"PK-the-workbook"
    assert "attachment" in got.headers["content-disposition"] and got.headers["cache-control"] == "no-store"
    # Another member of the same tenant, and a member of another tenant: the same 404.
    other = await desk.client("other")
    assert (await other.get(desk.url(f"/jobs/{job.id}"))).status_code == 404
    assert (await other.get(desk.url(f"/jobs/{job.id}/file"))).status_code == 404
    foreign = await make_staff("insurance", {"admin": "admin"})
    foreigner = await foreign.client("admin")
    assert (await foreigner.get(f"/t/{foreign.slug}/jobs/{job.id}")).status_code == 404
    assert (await foreigner.get(desk.url(f"/jobs/{job.id}"))).status_code == 404


async def test_a_job_whose_member_left_does_nothing(desk):
    from kefu.tenancy.tables import Membership

    job = await _job(desk, "other")
    await Membership.update({Membership.is_active: False}).where(
        Membership.tenant == desk.tenant.id, Membership.user == desk.users["other"].id)
    ran = []

    async def work(job_run):
        await job_run.member()
        ran.append(1)
        return services.Page("customers.import")

    await services.run_job(desk.tenant.id, job.id, work)
    row = await _row(desk, job.id)
    assert row["state"] == "failed" and not ran


async def test_the_sweep_sends_a_job_left_waiting_again(desk, monkeypatch):
    old = await _job(desk, created_at=clock.now() - timedelta(minutes=services.STALE_MINUTES + 1))
    fresh = await _job(desk)
    sent = []

    async def record(name, *args):
        sent.append((name, *args))

    monkeypatch.setattr(services, "enqueue", record)
    await services.resend_stale()
    assert ("check_customer_import", desk.tenant.id, old.id) in sent
    assert all(args[2] != fresh.id for args in sent)
    assert "check_customer_import" in JOBS
