"""The survey scheduler sweep, enqueued every minute: services.schedule.sweep_all creates, opens,
reminds and closes rounds as their dates come, each step idempotent. Large exports of a round
(its invitations, its raw answers) are written here, off the request."""

from __future__ import annotations

from kefu import i18n
from kefu.surveys.queries import exports
from kefu.surveys.services.list_rounds import round_from_list
from kefu.surveys.services.schedule import sweep_all
from kefu.workers.registry import job, sweep
from kefu.workers.services import JobRun, Page, run_export, run_job

OPENED = i18n.lazy("The round is open: %(n)s people invited.")
SCHEDULED = i18n.lazy("The round is scheduled; it opens on its first day.")


@sweep
@job(queue="default", max_retries=3)
async def sweep_survey_rounds() -> None:
    """Create, open, remind and close survey rounds as their dates come."""
    await sweep_all()


@job(queue="heavy", max_retries=0)
async def export_survey_invitations(tenant_id: int, job_id: int) -> None:
    """A large invitation list (queries.exports.invitations_file), off the request."""
    await run_export(tenant_id, job_id, exports.invitations_file)


@job(queue="heavy", max_retries=0)
async def export_survey_responses(tenant_id: int, job_id: int) -> None:
    """A large raw-answers workbook (queries.exports.responses_file), off the request."""
    await run_export(tenant_id, job_id, exports.responses_file)


@job(queue="heavy", max_retries=0)
async def check_survey_list(tenant_id: int, job_id: int) -> None:
    """A new round's uploaded audience list read, checked and matched; then the round made."""
    await run_job(tenant_id, job_id, _round_from_list)


async def _round_from_list(run: JobRun) -> Page:
    row, opened = await round_from_list(await run.member(), run.params, run.upload, run)
    if opened is not None:
        return Page("surveys.round", {"round_id": row.id}, OPENED, {"n": opened.invited})
    return Page("surveys.round", {"round_id": row.id}, SCHEDULED)
