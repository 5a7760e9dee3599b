"""Following a heavy job a page started (kefu.workers.services): the upload answers with the
job's page; the work runs on the embedded worker (the SQLite run) or, in the Redis run where
no worker consumes the test queue, by calling the same job function the worker would."""

from __future__ import annotations

import re

from kefu.db import transaction
from kefu.workers.embedded import embedded_worker
from kefu.workers.registry import JOBS, load_jobs
from kefu.workers.tables import Job

JOB_URL = re.compile(r"^/t/(?P<slug>[^/]+)/jobs/(?P<id>\d+)$")


def job_id(response) -> int:
    """The job a 303 sent the browser to."""
    assert response.status_code == 303, response.text[:2000]
    found = JOB_URL.match(response.headers["location"])
    assert found, response.headers["location"]
    return int(found["id"])


async def run_jobs(tenant_id: int, job: int) -> None:
    worker = embedded_worker()
    if worker is not None:
        await worker.join()
        return
    async with transaction(tenant_id, write=False):
        row = await Job.select(Job.name).where(Job.tenant == tenant_id, Job.id == job).first()
    assert row is not None
    load_jobs()  # a test without the app fixture has imported no module's jobs yet
    await JOBS[row["name"]](tenant_id, job)


async def finish(client, response, tenant_id: int):
    """Let the job of an upload's answer run, then open its page: a 303 to its result, or
    (failed, or a file) the page itself."""
    job = job_id(response)
    await run_jobs(tenant_id, job)
    return await client.get(response.headers["location"])


EXPORT_FORM = re.compile(r'<form method="post" action="([^"]+)" id="export-job">')


async def large_export(client, url: str, tenant_id: int, monkeypatch, params=None):
    """An export forced onto the job path (every export with a row is large): its link opens the
    page whose button starts the job; the job runs; its page offers the file. Returns (the job's
    page address, the file's response)."""
    from html import unescape

    from kefu.core import excel

    monkeypatch.setattr(excel, "SYNC_ROWS", 0)
    page = await client.get(url, params=params)
    assert page.status_code == 200, page.text[:2000]
    assert page.headers["content-type"].startswith("text/html") and 'id="export-large"' in page.text
    found = EXPORT_FORM.search(page.text)
    assert found, page.text[:2000]
    started = await client.post(unescape(found[1]))
    done = await finish(client, started, tenant_id)
    assert done.status_code == 200 and 'id="job-file"' in done.text, done.text[:2000]
    job_page = started.headers["location"]
    got = await client.get(f"{job_page}/file")
    assert got.status_code == 200 and "no-store" in got.headers["cache-control"]
    assert got.headers["content-type"].startswith(excel.MEDIA_TYPE)
    return job_page, got


async def job_file(client, response, tenant_id: int):
    """The file a job an answer started made (a printed PDF, an export): runs the job, checks
    its page offers the file, and fetches it."""
    page = await finish(client, response, tenant_id)
    assert page.status_code == 200 and 'id="job-file"' in page.text, page.text[:2000]
    return await client.get(response.headers["location"] + "/file")
