"""The shapes the complaints API answers with, for its OpenAPI schema (/api/schema): the
handlers build plain dicts (api_schemas.complaint_json); these describe them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import msgspec
import msgspec.inspect
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from kefu.core.http_errors import API_ERRORS


@dataclass
class ComplainantOut:
    name: str
    phone: str
    email: str
    relation: str


@dataclass
class DeadlinesOut:
    materials_notice_due: str | None
    acceptance_notice_due: str | None
    decision_due: str | None
    regulator_report_due: str | None  # A art. 13: only a regulator's transfer has one
    provisional: bool


@dataclass
class RefusalDetail:
    status: int
    message: str
    code: str  # stable: "state", "authorisation_missing", "senior_approval_needed", ...


@dataclass
class Refusal:
    """409: the complaint's state or the policy does not allow the action now."""

    error: RefusalDetail


@dataclass
class ComplaintOut:
    id: int
    number: str
    status: str
    channel: str
    source: str
    received_on: str | None
    category: str
    subject: str
    customer_ref: str
    complainant: ComplainantOut
    materials_complete: bool
    materials_complete_on: str | None
    deadlines: DeadlinesOut
    decided_on: str | None
    closed_on: str | None
    status_url: str
    description: str | None = None  # in the detail and on creation, not in the list


@dataclass
class ComplaintPage:
    items: list[ComplaintOut]
    total: int
    limit: int
    offset: int
    next: str | None


def action_answers(description: str) -> dict[int, ResponseSpec]:
    """A complaint action's answers: the complaint after it, or a refusal naming its code."""
    return {
        200: ResponseSpec(ComplaintOut, description=description),
        **API_ERRORS,
        409: ResponseSpec(Refusal, description="Not allowed in the complaint's state or by the policy now; `code` says why"),
    }


def answers(status: int, data: type, description: str) -> dict[int, ResponseSpec]:
    return {status: ResponseSpec(data, description=description), **API_ERRORS}


def _field_schema(info: msgspec.inspect.Type) -> Schema:
    if isinstance(info, msgspec.inspect.UnionType):  # `x | None`: the value, or null
        inner = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
        return Schema(one_of=[_field_schema(inner[0]), Schema(type=OpenAPIType.NULL)])
    if isinstance(info, msgspec.inspect.DateType):
        return Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE)
    if isinstance(info, msgspec.inspect.IntType):
        return Schema(type=OpenAPIType.INTEGER)
    if isinstance(info, msgspec.inspect.BoolType):
        return Schema(type=OpenAPIType.BOOLEAN)
    return Schema(type=OpenAPIType.STRING)


@cache
def documented(shape: type[msgspec.Struct]) -> type[Operation]:
    """An Operation documenting `shape` as the JSON body: the action's handler reads the body
    itself, after finding the complaint, so Litestar cannot see it in the signature."""
    fields = msgspec.inspect.type_info(shape).fields  # type: ignore[attr-defined]
    body = RequestBody(required=any(f.required for f in fields), content={
        "application/json": OpenAPIMediaType(schema=Schema(
            type=OpenAPIType.OBJECT, title=shape.__name__,
            required=[f.name for f in fields if f.required] or None,
            properties={f.name: _field_schema(f.type) for f in fields},
            additional_properties=False,  # the action's body refuses unknown fields (400)
        ))})

    def post_init(self: Any) -> None:
        self.request_body = body

    return dataclass(type(f"{shape.__name__}Operation", (Operation,), {"__post_init__": post_init}))


