"""The survey scheduler sweep, enqueued every minute: services.schedule.sweep_all creates, opens,
reminds and closes rounds as their dates come, each step idempotent."""

from __future__ import annotations

from kefu.surveys.services.schedule import sweep_all
from kefu.workers.registry import job, sweep


@sweep
@job(queue="default", max_retries=3)
async def sweep_survey_rounds() -> None:
    """Create, open, remind and close survey rounds as their dates come."""
    await sweep_all()
