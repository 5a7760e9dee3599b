"""The callbacks JSON API, for a call-centre system: the token's member's work queue, a task
with its attempts and record, logging an attempt, writing (and submitting) the record, the
record archive. Bearer tokens as every /api/t/{slug}/ route (kefu.tenancy.context); the token
acts as its member, so the training gate and the task's owner rules hold. Another tenant's id
is the same 404; a bad field is a 422 naming it; a refused action a 409 with its code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromPath, FromQuery

from kefu.callbacks import queries, schemas, services
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.http_errors import API_ERRORS, error_response
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires

WORK = [requires("callbacks.work")]
VIEW = [requires("callbacks.view")]
MEMBER = [requires("tenant.view")]


class AttemptIn(msgspec.Struct, forbid_unknown_fields=True):
    outcome: str  # reached | no_answer | busy | wrong_number | refused | call_back
    attempted_at: str = ""  # ISO 8601; now when empty
    call_back_at: str = ""  # ISO 8601, required with call_back
    note: str = ""
    recording_ref: str = ""


class RecordIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: dict[str, str] = {}
    notes: str = ""
    recording_ref: str = ""
    callback_on: str = ""  # YYYY-MM-DD; today when empty
    submit: bool = False


_TEXT = Schema(type=OpenAPIType.STRING)


def _body(struct_schema: Schema) -> RequestBody:
    struct_schema.additional_properties = False  # the In structs refuse unknown fields (400)
    return RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=struct_schema)})


ATTEMPT_BODY = _body(Schema(type=OpenAPIType.OBJECT, required=["outcome"], properties={
    "outcome": Schema(type=OpenAPIType.STRING, enum=["reached", "no_answer", "busy", "wrong_number", "refused", "call_back"]),
    "attempted_at": _TEXT, "call_back_at": _TEXT, "note": _TEXT, "recording_ref": _TEXT}))
RECORD_BODY = _body(Schema(type=OpenAPIType.OBJECT, properties={
    "answers": Schema(type=OpenAPIType.OBJECT, additional_properties=_TEXT), "notes": _TEXT, "recording_ref": _TEXT,
    "callback_on": _TEXT, "submit": Schema(type=OpenAPIType.BOOLEAN)}))


@dataclass
class AttemptOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = ATTEMPT_BODY


@dataclass
class RecordOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RECORD_BODY


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def task_json(t: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "campaign_id", "kind", "origin", "customer_id", "customer_name", "customer_phone", "reference",
            "subject_type", "subject_id", "method", "methods", "position", "owner_id", "status", "failed_attempts",
            "attempt_limit", "last_outcome")
    out = {k: t[k] for k in keys}
    return out | {k: _iso(t[k]) for k in ("opens_on", "due_on", "next_call_at", "fallen_back_at", "created_at", "done_at")}


def attempt_json(a: Any) -> dict[str, Any]:
    r = a if isinstance(a, dict) else a.to_dict()
    return {"id": r["id"], "method": r["method"], "outcome": r["outcome"], "attempted_at": _iso(r["attempted_at"]),
            "call_back_at": _iso(r["call_back_at"]), "note": r["note"], "recording_ref": r["recording_ref"]}


def record_json(r: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "task_id", "campaign_id", "kind", "method", "customer_id", "customer_name", "reference", "answers",
            "notes", "recording_ref", "status")
    return {k: r[k] for k in keys} | {k: _iso(r[k]) for k in ("callback_on", "locked_at", "retain_until")}


def _page_json(found: Any, convert: Any) -> dict[str, Any]:
    return {"items": [convert(r) for r in found.rows], "total": found.total, "page": found.number, "pages": found.pages}


def _as_form(data: dict[str, Any]) -> Form:
    return Form({k: v for k, v in data.items() if isinstance(v, str)})


class CallbacksApiController(Controller):
    path = "/api/t/{slug:str}/callbacks"
    dependencies = {"ctx": Provide(provide_api_context)}

    @get("/tasks", name="api.callbacks.tasks", guards=WORK, responses=API_ERRORS)
    async def tasks(self, ctx: NamedDependency[TenantContext], page: FromQuery[str | None] = None) -> dict:
        """The token's member's work queue: open tasks of theirs or their positions', nearest due first, 50 a page."""
        return _page_json(await queries.queue(ctx, page), task_json)

    @get("/tasks/{task_id:int}", name="api.callbacks.task", guards=MEMBER, responses=API_ERRORS)
    async def task(self, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> dict:
        """A task with its attempts and its record (null until written)."""
        found = await queries.task_page(ctx, task_id)
        return task_json(found["task"]) | {
            "attempts": [attempt_json(a) for a in found["attempts"]],
            "record": record_json(found["record"]) if found["record"] else None,
            "questions": found["questions"]}

    async def _decode(self, request: Request, struct: type[Any]) -> Any:
        try:
            return msgspec.json.decode(await request.body(), type=struct)
        except msgspec.DecodeError as exc:  # ValidationError included: names the field
            return error_response(request, 400, "", {"body": str(exc)})

    @post("/tasks/{task_id:int}/attempts", name="api.callbacks.attempt", guards=WORK, status_code=201,
          responses=API_ERRORS, operation_class=AttemptOperation)
    async def attempt(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        """Log a call (or visit) and its outcome; 201 with the attempt and the task as it now stands
        (after the limit of failed attempts it has fallen back to the next method)."""
        await queries.visible_task(ctx, task_id)
        data = await self._decode(request, AttemptIn)
        if isinstance(data, Response):
            return data
        try:
            parsed = schemas.attempt_input(_as_form(msgspec.to_builtins(data)), ctx.tenant.timezone)
            attempt = await services.log_attempt(ctx, task_id, parsed, source="api")
        except FieldError as exc:
            return error_response(request, 422, "", exc.translated_all())
        except Refused as exc:
            return _refused(exc)
        return Response({"attempt": attempt_json(attempt), "task": task_json(await queries.task_row(ctx.tenant_id, task_id))},
                        status_code=201)

    @post("/tasks/{task_id:int}/record", name="api.callbacks.record", guards=WORK, status_code=200,
          responses=API_ERRORS, operation_class=RecordOperation)
    async def record(self, request: Request, ctx: NamedDependency[TenantContext], task_id: FromPath[int]) -> Response:
        """Write the task's record (a draft), or with submit=true submit and lock it (the task is done)."""
        task = await queries.visible_task(ctx, task_id)
        data = await self._decode(request, RecordIn)
        if isinstance(data, Response):
            return data
        questions = await services.questions_of(ctx.tenant_id, task["campaign_id"])
        values = {"notes": data.notes, "recording_ref": data.recording_ref, "callback_on": data.callback_on}
        unknown = sorted(set(data.answers) - {q["code"] for q in questions})
        if unknown:
            return error_response(request, 422, "", {f"answers.{unknown[0]}": "unknown question"})
        values |= {f"answer_{code}": text for code, text in data.answers.items()}
        try:
            parsed = schemas.record_input(_as_form(values), questions)
            await services.save_record(ctx, task_id, parsed, submit=data.submit)
        except FieldError as exc:
            return error_response(request, 422, "", exc.translated_all())
        except Refused as exc:
            return _refused(exc)
        found = await queries.record_of_task(ctx.tenant_id, task_id)
        assert found is not None
        return Response(record_json(found), status_code=200)

    @get("/records", name="api.callbacks.records", guards=VIEW, responses=API_ERRORS)
    async def records(self, request: Request, ctx: NamedDependency[TenantContext],
                      page: FromQuery[str | None] = None) -> dict:
        """Submitted records, newest first; filters customer (name or reference), campaign, kind, from, to (YYYY-MM-DD)."""
        f = queries.Filters.read(dict(request.query_params))
        return _page_json(await queries.search_records(ctx, f, page), record_json)

    @get("/records/{record_id:int}", name="api.callbacks.record_detail", guards=VIEW, responses=API_ERRORS)
    async def record_detail(self, ctx: NamedDependency[TenantContext], record_id: FromPath[int]) -> dict:
        """One record with its addenda (corrections)."""
        found = await queries.record(ctx, record_id)
        addenda = await queries.addenda_of(ctx.tenant_id, record_id)
        return record_json(found) | {"addenda": [{"id": a["id"], "field": a["field"], "text": a["text"],
                                                   "created_at": _iso(a["created_at"])} for a in addenda]}


def _refused(exc: Refused) -> Response:
    return Response({"error": {"status": 409, "code": exc.code, "message": exc.translated()}}, status_code=409)

