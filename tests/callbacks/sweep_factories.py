"""Objects of the callback follow-through (problems, QA scores) for the tests and the isolation
sweep: ID_FACTORIES gives the sweep a problem whose summary and detail carry the marker."""

from __future__ import annotations

from typing import Any

from kefu.callbacks.problem_schemas import ProblemInput
from kefu.callbacks.services import problems as problem_services
from tests.callbacks import factories as cf


async def problem(tenant: Any, marker: str = "", *, ctx: Any = None) -> tuple[int, int]:
    """(problem id, record id): a problem raised from a submitted record."""
    _, record_id, _ = await cf.submitted_record(tenant, marker)
    ctx = ctx or await cf._admin(tenant)
    row = await problem_services.raise_from_record(ctx, record_id, ProblemInput(
        cause="other", summary=f"问题 {marker}"[:200], detail=f"详情 {marker}", position="", assignee_id=None,
        due_on=None))
    return row.id, record_id


async def _problem_id(tenant: Any, marker: str) -> int:
    return (await problem(tenant, marker))[0]


ID_FACTORIES: dict[Any, Any] = {"problem_id": _problem_id}
