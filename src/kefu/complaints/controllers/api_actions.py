"""The complaints JSON API's actions: `POST /api/t/{slug}/complaints/{id}/{action}`, one route
per action a staff member can take on the complaint's page, each the same one service call.

Same permissions as the pages (the route's guard, then the service's own check and the
training gate, A art. 8), same rules. Answers: 200 with the complaint JSON (merge: the earlier
complaint it was merged into; note: the complaint the note was added to); 400 for a body of the
wrong shape or type (naming the field); 422 for a value the rules refuse (naming the field,
with `code` "invalid"); 409 when the complaint's state or the policy does not allow it now
(with the refusal's stable `code`, e.g. "state", "authorisation_missing"); 403, 404 as the rest
of the API. A refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, ValidationException
from litestar.params import FromPath
from litestar.types import Guard

from kefu.complaints import services
from kefu.complaints.controllers.api import _status_url
from kefu.complaints.controllers.api_action_bodies import (
    AssignIn,
    DecideIn,
    MajorIn,
    MaterialsCompleteIn,
    MergeIn,
    NotAcceptIn,
    NoteIn,
    OptionalReasonIn,
    ReasonIn,
    RegulatorReportIn,
    RequestMaterialsIn,
    TransferInternalIn,
    TransferOutIn,
)
from kefu.complaints.controllers.api_action_bodies import read_body as _body
from kefu.complaints.controllers.api_action_bodies import text_field as _text
from kefu.complaints.controllers.api_action_bodies import texts as _texts
from kefu.complaints.controllers.api_docs import ComplaintOut, action_answers, documented
from kefu.complaints.controllers.api_schemas import (
    client_error_handler,
    complaint_json,
    refused_response,
    validation_handler,
)
from kefu.complaints.policy import ACTIONS
from kefu.complaints.services.review import Outcome
from kefu.core.errors import FieldError, Refused
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires


def _guard(action: str) -> list[Guard]:
    return [requires(ACTIONS[action].permission)]


def _field_error(request: Request, exc: FieldError) -> Response:
    fields = exc.translated_all()
    error = {"status": 422, "message": next(iter(fields.values()), ""), "code": "invalid",
             "field": exc.field, "fields": fields}
    return Response({"error": error}, status_code=422, media_type=MediaType.JSON)


async def _act(
    request: Request, ctx: TenantContext, call: Callable[[], Awaitable[Any]], complaint_id: int
) -> Response:
    """Make the call; the complaint as JSON, or the refusal (422 / 409) in the API's shape."""
    try:
        result = await call()
    except FieldError as exc:
        return _field_error(request, exc)
    except Refused as exc:
        return refused_response(exc)
    # Most services answer with the complaint itself (merge: the earlier one); a note does not.
    complaint = result if hasattr(result, "public_token") else await services.get_complaint(ctx, complaint_id)
    return Response(complaint_json(complaint, _status_url(request, ctx.tenant.slug)))


Ctx = NamedDependency[TenantContext]
Id = FromPath[int]


def _review(ctx: TenantContext, complaint_id: int, outcome: Outcome,
            data: msgspec.Struct | None = None) -> Callable[[], Awaitable[Any]]:
    def call() -> Awaitable[Any]:
        d = _texts(data) if data is not None else {}
        return services.review_complaint(
            ctx, complaint_id, outcome=outcome, ground=d.get("ground", ""),
            reason=d.get("reason", ""), department=d.get("department", ""), unit=d.get("unit", ""),
        )
    return call


class ComplaintActionsApiController(Controller):
    path = "/api/t/{slug:str}/complaints/{complaint_id:int}"
    dependencies = {"ctx": Provide(provide_api_context)}
    exception_handlers = {
        ValidationException: validation_handler, ClientException: client_error_handler,
    }
    tags = ["complaint actions"]

    @post("/request-materials", name="api.complaints.request_materials",
          guards=_guard("request_materials"), status_code=200,
          responses=action_answers("The materials notice is owed (A art. 12)"),
          operation_class=documented(RequestMaterialsIn))
    async def request_materials(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """registered -> materials_incomplete; the materials notice is owed to the complainant."""
        data = await _body(request, ctx, complaint_id, RequestMaterialsIn)
        return await _act(request, ctx, lambda: services.request_materials(
            ctx, complaint_id, missing=_text("missing", data.missing)), complaint_id)

    @post("/materials-complete", name="api.complaints.complete_materials",
          guards=_guard("complete_materials"), status_code=200,
          responses=action_answers("The materials are complete; the complaint is under review"),
          operation_class=documented(MaterialsCompleteIn))
    async def complete_materials(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """The acceptance notice falls due 10 working days after `complete_on` (A art. 16)."""
        data = await _body(request, ctx, complaint_id, MaterialsCompleteIn)
        return await _act(request, ctx, lambda: services.mark_materials_complete(
            ctx, complaint_id, complete_on=data.complete_on), complaint_id)

    @post("/accept", name="api.complaints.accept", guards=_guard("accept"), status_code=200,
          responses=action_answers("Accepted; the acceptance notice is owed"))
    async def accept(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """No body. 409 `authorisation_missing` for an agent's complaint without the written
        authorisation (A art. 15(1)); 409 `state` unless under review."""
        return await _act(request, ctx, _review(ctx, complaint_id, "accept"), complaint_id)

    @post("/not-accept", name="api.complaints.not_accept", guards=_guard("not_accept"),
          status_code=200, responses=action_answers("Not accepted; the notice with the reason is owed"),
          operation_class=documented(NotAcceptIn))
    async def not_accept(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, NotAcceptIn)
        return await _act(request, ctx, _review(ctx, complaint_id, "not_accept", data),
                          complaint_id)

    @post("/transfer-internal", name="api.complaints.transfer_internal",
          guards=_guard("transfer_internal"), status_code=200,
          responses=action_answers("Transferred to another department"),
          operation_class=documented(TransferInternalIn))
    async def transfer_internal(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, TransferInternalIn)
        return await _act(request, ctx, _review(
            ctx, complaint_id, "transfer_internal", data), complaint_id)

    @post("/transfer-out", name="api.complaints.transfer_out", guards=_guard("transfer_out"),
          status_code=200, responses=action_answers("Transferred out to the responsible body"),
          operation_class=documented(TransferOutIn))
    async def transfer_out(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, TransferOutIn)
        return await _act(request, ctx, _review(ctx, complaint_id, "transfer_out", data),
                          complaint_id)

    @post("/merge", name="api.complaints.merge", guards=_guard("merge"), status_code=200,
          responses=action_answers("Merged; the answer is the earlier complaint"),
          operation_class=documented(MergeIn))
    async def merge(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """This (later) complaint merges into `into_id` (A art. 15). 409 `merge_not_later`,
        `merge_after_period`, `merge_into_itself`; another tenant's `into_id` is a 404."""
        data = await _body(request, ctx, complaint_id, MergeIn)
        return await _act(request, ctx, lambda: services.merge_repeat(
            ctx, complaint_id, into_id=data.into_id,
            new_facts=_text("new_facts", data.new_facts)), complaint_id)

    @post("/assign", name="api.complaints.assign", guards=_guard("assign"), status_code=200,
          responses=action_answers("The handler is assigned"),
          operation_class=documented(AssignIn))
    async def assign(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, AssignIn)
        return await _act(request, ctx, lambda: services.assign_handler(
            ctx, complaint_id, handler_id=data.handler_id), complaint_id)

    @post("/note", name="api.complaints.note", guards=_guard("note"), status_code=200,
          responses=action_answers("The internal note is added"),
          operation_class=documented(NoteIn))
    async def note(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """An internal note (never shown to the complainant); kind "major_report" is a major
        complaint's written report (B.k)."""
        data = await _body(request, ctx, complaint_id, NoteIn)
        return await _act(request, ctx, lambda: services.add_note(
            ctx, complaint_id, body=_text("body", data.body), kind=_text("kind", data.kind)),
            complaint_id)

    @post("/pause", name="api.complaints.pause", guards=_guard("pause"), status_code=200,
          responses=action_answers("The decision clock is paused for an appraisal"),
          operation_class=documented(ReasonIn))
    async def pause(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, ReasonIn)
        return await _act(request, ctx, lambda: services.pause_for_appraisal(
            ctx, complaint_id, reason=_text("reason", data.reason)), complaint_id)

    @post("/resume", name="api.complaints.resume", guards=_guard("resume"), status_code=200,
          responses=action_answers("The decision clock runs again"))
    async def resume(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _act(request, ctx, lambda: services.resume_after_appraisal(ctx, complaint_id),
                          complaint_id)

    @post("/extend", name="api.complaints.extend", guards=_guard("extend"), status_code=200,
          responses=action_answers("The extension is granted; the complainant is told the new date"),
          operation_class=documented(ReasonIn))
    async def extend(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """409 `senior_approval_needed` for a second extension by a member of no senior
        position, `no_further_extension`, `period_ended`."""
        data = await _body(request, ctx, complaint_id, ReasonIn)
        return await _act(request, ctx, lambda: services.grant_extension(
            ctx, complaint_id, reason=_text("reason", data.reason)), complaint_id)

    @post("/request-extension", name="api.complaints.request_extension",
          guards=_guard("request_extension"), status_code=200,
          responses=action_answers("The extension is requested, for an approver to grant"),
          operation_class=documented(ReasonIn))
    async def request_extension(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, ReasonIn)
        return await _act(request, ctx, lambda: services.request_extension(
            ctx, complaint_id, reason=_text("reason", data.reason)), complaint_id)

    @post("/approve-extension", name="api.complaints.approve_extension",
          guards=_guard("approve_extension"), status_code=200,
          responses=action_answers("The requested extension is granted"))
    async def approve_extension(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """No body. 409 `no_extension_request` when none is pending."""
        return await _act(request, ctx, lambda: services.approve_extension(ctx, complaint_id),
                          complaint_id)

    @post("/authorisation", name="api.complaints.authorisation",
          guards=_guard("authorisation"), status_code=200,
          responses=action_answers("The agent's written authorisation is recorded (A art. 15(1))"))
    async def authorisation(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        return await _act(request, ctx, lambda: services.record_authorisation(ctx, complaint_id),
                          complaint_id)

    @post("/decide", name="api.complaints.decide", guards=_guard("decide"), status_code=200,
          responses=action_answers("The decision is recorded; its notice is owed"),
          operation_class=documented(DecideIn))
    async def decide(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, DecideIn)
        return await _act(request, ctx, lambda: services.record_decision(
            ctx, complaint_id, **_texts(data)), complaint_id)

    @post("/close", name="api.complaints.close", guards=_guard("close"), status_code=200,
          responses=action_answers("The complaint is closed"))
    async def close(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        """No body. 409 `major_report_missing` for a major complaint without its report."""
        return await _act(request, ctx, lambda: services.close_complaint(ctx, complaint_id),
                          complaint_id)

    @post("/withdraw", name="api.complaints.withdraw", guards=_guard("withdraw"),
          status_code=200, responses=action_answers("The complaint is withdrawn"),
          operation_class=documented(OptionalReasonIn))
    async def withdraw(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, OptionalReasonIn)
        return await _act(request, ctx, lambda: services.withdraw_complaint(
            ctx, complaint_id, reason=_text("reason", data.reason)), complaint_id)

    @post("/major", name="api.complaints.major", guards=_guard("major"), status_code=200,
          responses=action_answers("The major flag is set or cleared"),
          operation_class=documented(MajorIn))
    async def major(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, MajorIn)
        return await _act(request, ctx, lambda: services.mark_major(
            ctx, complaint_id, major=data.major), complaint_id)

    @post("/regulator-report", name="api.complaints.regulator_report",
          guards=_guard("regulator_report"), status_code=200,
          responses=action_answers("The report to the regulator is recorded (A art. 13)"),
          operation_class=documented(RegulatorReportIn))
    async def regulator_report(self, request: Request, ctx: Ctx, complaint_id: Id) -> Response:
        data = await _body(request, ctx, complaint_id, RegulatorReportIn)
        return await _act(request, ctx, lambda: services.record_regulator_report(
            ctx, complaint_id, sent_on=data.sent_on), complaint_id)


routes = [ComplaintActionsApiController]
__all__ = ["ComplaintOut", "routes"]
