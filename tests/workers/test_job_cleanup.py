"""Finished jobs, and the files they read or made, are deleted by a sweep once their retention
(KEFU_JOB_RETENTION_DAYS, 7 days by default) has passed: tenant by tenant, never a job still
waiting or running, and a second run deletes nothing more."""

from __future__ import annotations

from datetime import timedelta

import pytest
import pytest_asyncio

from kefu.core import clock
from kefu.db import transaction
from kefu.settings import SettingsError, load_settings
from kefu.workers import services
from kefu.workers.registry import JOBS, SWEEPS
from kefu.workers.tables import Job
from tests.fixtures import staff_of


@pytest_asyncio.fixture(loop_scope="session")
async def two(app):
    first = await staff_of("insurance", {"manager": "admin"}, app=app, fresh=True)
    second = await staff_of("insurance", {"manager": "admin"}, app=app, fresh=True)
    yield first, second
    await first.aclose()
    await second.aclose()


async def _job(staff, state: str, ended_days_ago: float | None, **values) -> int:
    finished = clock.now() - timedelta(days=ended_days_ago) if ended_days_ago is not None else None
    job = Job(tenant=staff.tenant.id, name="print_pdf", title="Printing", state=state, finished_at=finished,
              created_at=clock.now() - timedelta(days=30), created_by=staff.users["manager"].id, **values)
    async with transaction(staff.tenant.id):
        await job.save()
    return job.id


async def _left(staff) -> set[int]:
    async with transaction(staff.tenant.id, write=False):
        rows = await Job.select(Job.id).where(Job.tenant == staff.tenant.id)
    return {row["id"] for row in rows}


async def test_finished_jobs_past_the_retention_go_with_their_files(two):
    first, second = two
    old_done = await _job(first, "done", 8, output=b"%PDF-old", output_name="old.pdf")
    old_failed = await _job(first, "failed", 30, upload=b"PK-left-over")
    recent = await _job(first, "done", 6, output=b"%PDF-new", output_name="new.pdf")
    waiting = await _job(first, "queued", None)
    running = await _job(first, "running", None)
    elsewhere_old = await _job(second, "done", 8, output=b"%PDF-b", output_name="b.pdf")
    elsewhere_recent = await _job(second, "failed", 1)

    await services.delete_finished()  # the default retention: 7 days
    assert await _left(first) == {recent, waiting, running}
    assert await _left(second) == {elsewhere_recent}
    assert not {old_done, old_failed} & await _left(first) and elsewhere_old not in await _left(second)

    await services.delete_finished()  # again: nothing more goes
    assert await _left(first) == {recent, waiting, running}
    assert await _left(second) == {elsewhere_recent}

    await services.delete_finished(timedelta(days=5))  # a shorter retention reaches the recent one
    assert await _left(first) == {waiting, running}


async def test_the_sweep_runs_every_tick_through_its_job(two):
    first, _ = two
    old = await _job(first, "done", 10)
    assert "delete_old_jobs" in SWEEPS
    await JOBS["delete_old_jobs"]()
    assert old not in await _left(first)


def test_the_retention_is_a_setting():
    env = {"KEFU_SECRET_KEY": "s" * 40}
    assert load_settings(env).job_retention_days == 7
    assert load_settings(env | {"KEFU_JOB_RETENTION_DAYS": "30"}).job_retention_days == 30
    for bad in ("0", "-1", "week"):
        with pytest.raises(SettingsError, match="KEFU_JOB_RETENTION_DAYS"):
            load_settings(env | {"KEFU_JOB_RETENTION_DAYS": bad})
