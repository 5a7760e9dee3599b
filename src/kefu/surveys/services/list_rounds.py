"""A round whose audience is an uploaded list: the request checks the form and the file's size
and type, then stores the file as a job (check_survey_list); the worker reads it with the
shared reader's limits (kefu.core.uploads: size unpacked, rows with the empty ones, columns,
time), shows its progress, matches the people to the registry and creates the round (opened
at once when its window has started). A list with any row error creates nothing: the job's
page names every problem."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from kefu import i18n
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.progress import Progress, Runner
from kefu.core.tenancy import TenantContext
from kefu.surveys.policy.audience import Audience
from kefu.surveys.policy.rounds import RoundInput, check_round
from kefu.surveys.schemas import audience_list
from kefu.surveys.services.rounds import Opened, start_round
from kefu.surveys.tables import SurveyRound
from kefu.workers.services import Job, start_job

CHECKING_LIST = i18n.lazy("Checking the audience list")
MAX_SHOWN = 200  # row problems listed on the job's page


class ListProblems(Refused):
    """The list has row errors: nothing is created; `details` says each (translated)."""

    def __init__(self, errors: list[audience_list.RowError]) -> None:
        super().__init__("list_problems", i18n.lazy(
            "The list has %(n)s problems; nothing was created. Correct the file and upload it again."),
            n=len(errors))
        self.details = [str(e) for e in errors[:MAX_SHOWN]]


async def start_list_round(ctx: TenantContext, data: RoundInput, filename: str, content: bytes) -> Job:
    """Check what can be checked at once (the form's fields: FieldError naming one) and store
    the list as a job that reads it and creates the round; 403."""
    ctx.require("surveys.manage")
    check_round(replace(data, audience=Audience(kind="all")), clock.now())  # the list is the job's
    params: dict[str, Any] = {
        "filename": filename, "template_id": data.template_id, "title": data.title,
        "opens_at": data.opens_at.isoformat(), "closes_at": data.closes_at.isoformat(),
        "reminder_after_days": data.reminder_after_days, "open_link": data.open_link,
        "list_consent": data.audience.list_consent, "back": {"route": "surveys.round_new", "params": {}},
    }
    return await start_job(ctx, "check_survey_list", CHECKING_LIST, params=params, upload=content)


async def round_from_list(ctx: TenantContext, params: dict[str, Any], content: bytes,
                          runner: Runner) -> tuple[SurveyRound, Opened | None]:
    """The job's work: read and check the list (in a thread, with progress), match it to the
    registry, create the round. Raises ListProblems, audience_list.ListError, FieldError; 403."""
    ctx.require("surveys.manage")
    filename = params["filename"]

    def parse(progress: Progress) -> tuple[list, list]:
        return audience_list.parse_list(filename, content, progress)

    rows, errors = await runner.in_thread(parse)
    if errors:
        raise ListProblems(errors)
    rows = await audience_list.match_customers(ctx.tenant_id, rows)
    data = RoundInput(
        template_id=int(params["template_id"]), title=params["title"],
        audience=Audience(kind="list", rows=tuple(rows), list_consent=bool(params["list_consent"])),
        opens_at=datetime.fromisoformat(params["opens_at"]), closes_at=datetime.fromisoformat(params["closes_at"]),
        reminder_after_days=int(params["reminder_after_days"]), open_link=bool(params["open_link"]),
    )
    return await start_round(ctx.tenant, ctx.user.id, data)
