"""The JSON API of problems found in callbacks (A art. 26), for a call-centre system: list and
read problems, raise one from a record or at once from a task, close one. Bearer tokens as every
/api/t/{slug}/ route; a bad field is a 422 naming it, a refused action a 409 with its code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromPath, FromQuery

from kefu.callbacks import problem_schemas as schemas
from kefu.callbacks import queries, services
from kefu.callbacks.controllers.api import _TEXT, _iso
from kefu.callbacks.policy.quality import quality_for
from kefu.callbacks.queries import problems as problem_queries
from kefu.callbacks.services import problems as problem_services
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.http_errors import API_ERRORS, error_response
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires

WORK = [requires("callbacks.work")]


class ProblemIn(msgspec.Struct, forbid_unknown_fields=True):
    cause: str
    summary: str
    detail: str = ""
    position: str = ""
    assignee_id: int | None = None
    due_on: str = ""  # YYYY-MM-DD


class CloseIn(msgspec.Struct, forbid_unknown_fields=True):
    resolution: str


PROBLEM_BODY = RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=Schema(
    type=OpenAPIType.OBJECT, required=["cause", "summary"], additional_properties=False, properties={
        "cause": _TEXT, "summary": _TEXT, "detail": _TEXT, "position": _TEXT,
        "assignee_id": Schema(one_of=[Schema(type=OpenAPIType.INTEGER), Schema(type=OpenAPIType.NULL)]),
        "due_on": Schema(type=OpenAPIType.STRING, description="YYYY-MM-DD")}))})
CLOSE_BODY = RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=Schema(
    type=OpenAPIType.OBJECT, required=["resolution"], additional_properties=False,
    properties={"resolution": _TEXT}))})


@dataclass
class ProblemOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = PROBLEM_BODY


@dataclass
class CloseOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = CLOSE_BODY


def problem_json(p: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "task_id", "record_id", "cause", "summary", "detail", "position", "assignee_id", "status",
            "resolution", "complaint_id")
    return {k: p[k] for k in keys} | {k: _iso(p[k]) for k in ("due_on", "raised_at", "closed_at")}


def _form(data: ProblemIn) -> Form:
    values = {k: v for k, v in msgspec.to_builtins(data).items() if isinstance(v, str)}
    if data.assignee_id is not None:
        values["assignee_id"] = str(data.assignee_id)
    return Form(values)


def _refused(exc: Refused) -> Response:
    return Response({"error": {"status": 409, "code": exc.code, "message": exc.translated()}}, status_code=409)


class ProblemsApiController(Controller):
    path = "/api/t/{slug:str}/callbacks"
    dependencies = {"ctx": Provide(provide_api_context)}

    @get("/problems", name="api.callbacks.problems", guards=WORK, responses=API_ERRORS)
    async def index(self, ctx: NamedDependency[TenantContext], status: FromQuery[str] = "open",
                    page: FromQuery[str | None] = None) -> dict:
        """Open (status=closed: closed) problems the member may see, nearest due first, 50 a page."""
        found = await problem_queries.problems(ctx, services.my_positions(ctx), status, page)
        return {"items": [problem_json(r) for r in found.rows], "total": found.total, "page": found.number,
                "pages": found.pages}

    @get("/problems/{problem_id:int}", name="api.callbacks.problem", guards=WORK, responses=API_ERRORS)
    async def show(self, ctx: NamedDependency[TenantContext], problem_id: FromPath[int]) -> dict:
        return problem_json(await problem_queries.problem(ctx, services.my_positions(ctx), problem_id))

    async def _decode(self, request: Request, struct: type[Any]) -> Any:
        try:
            return msgspec.json.decode(await request.body(), type=struct)
        except msgspec.DecodeError as exc:  # ValidationError included: names the field
            return error_response(request, 400, "", {"body": str(exc)})

    async def _raise(self, request: Request, ctx: TenantContext, immediate: bool, act: Any) -> Response:
        data = await self._decode(request, ProblemIn)
        if isinstance(data, Response):
            return data
        try:
            parsed = schemas.problem_input(_form(data), quality_for(ctx.tenant.kind), list(ctx.pack.positions),
                                           immediate=immediate)
            problem = await act(parsed)
        except FieldError as exc:
            return error_response(request, 422, "", exc.translated_all())
        return Response(problem_json({
            "id": problem.id, "task_id": problem.task, "record_id": problem.record, "cause": problem.cause,
            "summary": problem.summary, "detail": problem.detail, "position": problem.position,
            "assignee_id": problem.assignee, "status": problem.status, "resolution": problem.resolution,
            "complaint_id": None, "due_on": problem.due_on, "raised_at": problem.raised_at, "closed_at": None}),
            status_code=201)

    @post("/records/{record_id:int}/problems", name="api.callbacks.record_problem", guards=WORK, status_code=201,
          responses=API_ERRORS, operation_class=ProblemOperation)
    async def from_record(self, request: Request, ctx: NamedDependency[TenantContext],
                          record_id: FromPath[int]) -> Response:
        """Raise a problem found in a record."""
        await queries.visible_record(ctx, record_id)
        return await self._raise(request, ctx, False,
                                 lambda d: problem_services.raise_from_record(ctx, record_id, d))

    @post("/tasks/{task_id:int}/problems", name="api.callbacks.task_problem", guards=WORK, status_code=201,
          responses=API_ERRORS, operation_class=ProblemOperation)
    async def from_task(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        """Raise at once, during the call, a problem of an `immediate` cause (did not sign / did not understand)."""
        await queries.visible_task(ctx, task_id)
        return await self._raise(request, ctx, True, lambda d: problem_services.raise_from_task(ctx, task_id, d))

    @post("/problems/{problem_id:int}/close", name="api.callbacks.problem_close", guards=WORK, status_code=200,
          responses=API_ERRORS, operation_class=CloseOperation)
    async def close(self, request: Request, ctx: NamedDependency[TenantContext], problem_id: FromPath[int]) -> Response:
        """Close a problem with what was done."""
        await problem_queries.problem(ctx, services.my_positions(ctx), problem_id)
        data = await self._decode(request, CloseIn)
        if isinstance(data, Response):
            return data
        try:
            resolution = schemas.close_input(Form({"resolution": data.resolution}))
            await problem_services.close_problem(ctx, problem_id, resolution, services.my_positions(ctx))
        except FieldError as exc:
            return error_response(request, 422, "", exc.translated_all())
        except Refused as exc:
            return _refused(exc)
        return Response(problem_json(await problem_queries.problem(ctx, services.my_positions(ctx), problem_id)))
