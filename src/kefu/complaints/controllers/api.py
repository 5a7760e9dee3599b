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

from kefu import i18n
from kefu.complaints import services
from kefu.complaints.config import policy_for
from kefu.complaints.controllers.api_schemas import (
    LIST_COLUMNS,
    ComplaintIn,
    client_error_handler,
    complaint_json,
    nul_fields,
    validation_handler,
)
from kefu.complaints.policy import CHANNELS, STATUSES
from kefu.complaints.tables import Complaint
from kefu.core.errors import FieldError
from kefu.core.http_errors import error_response
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires

MAX_ID = 2**31 - 1  # serial ids; a larger one would be a database error, not a 404
MAX_OFFSET = 10_000_000


def _status_url(request: Request, slug: str):
    return lambda token: request.app.route_reverse("public.status", slug=slug, token=token)


def _codes(field: str, raw: str | None, allowed: tuple[str, ...] | list[str]) -> list[str]:
    """A filter of one or more comma-separated codes, each checked."""
    if raw is None:
        return []
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if not codes or any(c not in allowed for c in codes):
        raise FieldError(field, "Choose one of the listed values.")
    return codes


class ComplaintsApiController(Controller):
    path = "/api/t/{slug:str}/complaints"
    dependencies = {"ctx": Provide(provide_api_context)}
    # ValidationException by name: handlers are looked up along the exception's MRO, so the
    # app's own ValidationException handler would otherwise win over ClientException here.
    exception_handlers = {
        ValidationException: validation_handler, ClientException: client_error_handler,
    }

    @post("/", name="api.complaints.create", guards=[requires("complaints.register")],
          status_code=201)
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
        fields = {name: i18n.gettext("Enter a valid value.") for name in nul_fields(raw)}
        if fields:
            return error_response(request, 422, "", fields)
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

    @get("/{complaint_id:int}", name="api.complaints.detail", guards=[requires("complaints.view")])
    async def detail(
        self, request: Request, ctx: NamedDependency[TenantContext], complaint_id: FromPath[int]
    ) -> dict:
        if not 0 < complaint_id <= MAX_ID:
            raise NotFoundException()
        complaint = await services.get_complaint(ctx, complaint_id)
        return complaint_json(complaint, _status_url(request, ctx.tenant.slug))

    @get("/", name="api.complaints.list", guards=[requires("complaints.view")])
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
        categories = [c.code for c in policy_for(ctx.tenant.kind, ctx.tenant.settings).categories]
        where: list[Any] = []
        if codes := _codes("status", status, STATUSES):
            where.append(Complaint.status.is_in(codes))
        if codes := _codes("channel", channel, CHANNELS):
            where.append(Complaint.channel.is_in(codes))
        if codes := _codes("category", category, categories):
            where.append(Complaint.category.is_in(codes))
        if received_from and received_to and received_from > received_to:
            raise FieldError("received_to", "Enter a date on or after the start date.")
        if received_from:
            where.append(Complaint.received_on >= received_from)
        if received_to:
            where.append(Complaint.received_on <= received_to)
        columns = [getattr(Complaint, name) for name in LIST_COLUMNS]
        rows_query = scoped(Complaint, ctx.tenant_id, *columns)
        count_query = scoped_count(Complaint, ctx.tenant_id)
        if where:
            rows_query, count_query = rows_query.where(*where), count_query.where(*where)
        rows = await rows_query.order_by(Complaint.id, ascending=False).limit(limit).offset(offset)
        total = await count_query
        status_url = _status_url(request, ctx.tenant.slug)
        filters = {
            "status": status, "channel": channel, "category": category,
            "received_from": received_from, "received_to": received_to,
        }
        nxt = None
        if offset + limit < total:
            params = {k: v for k, v in filters.items() if v is not None}
            params.update(limit=limit, offset=offset + limit)
            nxt = f"{request.url.path}?{urlencode(params)}"
        return {
            "items": [complaint_json(r, status_url, detail=False) for r in rows],
            "total": total, "limit": limit, "offset": offset, "next": nxt,
        }


routes = [ComplaintsApiController]
