"""The complaints JSON API for integrations (a call-centre system): register, read, list.

Authentication is a tenant's bearer token (`kf_<tenant id>_…`, core.tenancy.provide_api_context):
another tenant's token on this slug, and another tenant's complaint id, are the same 404 as a
missing one. Errors name the field: 400 for a body of the wrong shape or type (api_schemas), 422
for a value the rules refuse (complaints.schemas, every field at once), both as
`{"error": {"status", "message", "fields": {field: message}}}`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter

from kefu.complaints import queries, services
from kefu.complaints.controllers.api_docs import ComplaintOut, ComplaintPage, answers
from kefu.complaints.controllers.api_schemas import (
    ComplaintIn,
    client_error_handler,
    complaint_json,
    validation_handler,
)
from kefu.complaints.queries.api import ApiFilters
from kefu.core.errors import FieldError
from kefu.core.http_errors import error_response
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires

MAX_ID = 2**31 - 1  # serial ids; a larger one would be a database error, not a 404
MAX_OFFSET = 10_000_000


def _status_url(request: Request, slug: str):
    return lambda token: request.app.route_reverse("public.status", slug=slug, token=token)


def _next_link(request: Request, f: ApiFilters, limit: int, offset: int, total: int) -> str | None:
    """The next page's path with the same filters; None on the last page."""
    if offset + limit >= total:
        return None
    params: dict[str, Any] = {k: v for k, v in f.__dict__.items() if v is not None}
    params.update(limit=limit, offset=offset + limit)
    return f"{request.url.path}?{urlencode(params)}"


class ComplaintsApiController(Controller):
    path = "/api/t/{slug:str}/complaints"
    dependencies = {"ctx": Provide(provide_api_context)}
    # ValidationException by name: handlers are looked up along the exception's MRO, so the
    # app's own ValidationException handler would otherwise win over ClientException here.
    exception_handlers = {
        ValidationException: validation_handler, ClientException: client_error_handler,
    }

    @post("/", name="api.complaints.create", guards=[requires("complaints.register")],
          status_code=201, responses=answers(201, ComplaintOut, "The complaint registered (or replayed)"))
    async def create(
        self,
        request: Request,
        ctx: NamedDependency[TenantContext],
        data: JSONBody[ComplaintIn],
        key_header: Annotated[str | None, HeaderParameter(name="idempotency-key")] = None,
    ) -> Response:
        """Register a complaint (source "api"). The same idempotency key (body field or
        Idempotency-Key header) answers with the complaint registered first, unchanged, marked
        by the header Idempotent-Replayed."""
        raw = data.to_core()
        if key_header is not None:
            if raw.get("idempotency_key", key_header) != key_header:
                raise FieldError("idempotency_key", "The Idempotency-Key header and the idempotency_key field differ.")
            raw["idempotency_key"] = key_header
        try:
            complaint, replayed = await services.register_complaint_once(ctx, raw, source="api")
        except FieldError as exc:
            return error_response(request, 422, "", exc.translated_all())
        headers = {"Idempotent-Replayed": "true"} if replayed else {}
        headers["Location"] = request.app.route_reverse(
            "api.complaints.detail", slug=ctx.tenant.slug, complaint_id=complaint.id
        )
        body = complaint_json(complaint, _status_url(request, ctx.tenant.slug))
        return Response(body, status_code=201, headers=headers)

    @get("/{complaint_id:int}", name="api.complaints.detail", guards=[requires("complaints.view")],
         responses=answers(200, ComplaintOut, "The complaint"))
    async def detail(
        self, request: Request, ctx: NamedDependency[TenantContext], complaint_id: FromPath[int]
    ) -> dict:
        if not 0 < complaint_id <= MAX_ID:
            raise NotFoundException()
        complaint = await services.get_complaint(ctx, complaint_id)
        return complaint_json(complaint, _status_url(request, ctx.tenant.slug))

    @get("/", name="api.complaints.list", guards=[requires("complaints.view")],
         responses=answers(200, ComplaintPage, "A page of complaints, newest first"))
    async def list_complaints(
        self,
        request: Request,
        ctx: NamedDependency[TenantContext],
        status: FromQuery[str | None] = None,
        channel: FromQuery[str | None] = None,
        category: FromQuery[str | None] = None,
        received_from: FromQuery[date | None] = None,
        received_to: FromQuery[date | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
    ) -> dict:
        """Newest first. Filters: status and channel (one code or several, comma-separated),
        category, received_from / received_to (inclusive). Paging: limit (1-100) and offset;
        the answer carries `total` and a `next` link (null on the last page)."""
        filters = ApiFilters(status, channel, category, received_from, received_to)
        rows, total = await queries.api.complaint_list(ctx, filters, limit=limit, offset=offset)
        status_url = _status_url(request, ctx.tenant.slug)
        nxt = _next_link(request, filters, limit, offset, total)
        return {
            "items": [complaint_json(r, status_url, detail=False) for r in rows],
            "total": total, "limit": limit, "offset": offset, "next": nxt,
        }


routes = [ComplaintsApiController]
