"""The fees JSON API, for a centre's accounting system: bills (read, by month and paid state)
and payments (read with their bill, record one). Bearer tokens as every /api/t/{slug}/ route
(kefu.tenancy.context.provide_api_context): another tenant's token or bill is the same 404.
Amounts travel as strings ("120.50"), never floats; a bad field is a 422 naming it, a settled
bill a 409 with its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import FromPath, FromQuery

from kefu.core.errors import FieldErrors, Refused
from kefu.core.forms import Form
from kefu.core.http_errors import API_ERRORS, error_response
from kefu.core.tenancy import TenantContext
from kefu.fees import queries, schemas, services
from kefu.tenancy.context import provide_api_context
from kefu.tenancy.guards import requires


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: str
    method: str  # a code of tenants/<kind>/fees.toml [[methods]]
    paid_on: str  # YYYY-MM-DD
    reference: str = ""


_TEXT = Schema(type=OpenAPIType.STRING)
PAYMENT_BODY = RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=Schema(
    type=OpenAPIType.OBJECT, required=["amount", "method", "paid_on"],
    properties={"amount": _TEXT, "method": _TEXT, "paid_on": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE),
                "reference": _TEXT},
    additional_properties=False,  # PaymentIn refuses unknown fields (400)
))})


@dataclass
class PaymentOperation(Operation):
    """The payment's body, documented: the handler reads it itself, after finding the bill, so
    Litestar cannot see it in the signature."""

    def __post_init__(self) -> None:
        self.request_body = PAYMENT_BODY


def bill_json(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"], "unit": {"id": r["unit_id"], "building": r["building_name"], "entrance": r["entrance"],
                                "room": r["room"]},
        "item": r["item_name"], "period": r["period"].isoformat()[:7], "days": r["days"],
        "amount": str(r["amount"]), "paid": str(r["paid"]), "outstanding": str(r["amount"] - r["paid"]),
        "due_on": r["due_on"].isoformat(),
    }


def payment_json(p: Any) -> dict[str, Any]:
    r = p if isinstance(p, dict) else p.to_dict()
    return {"id": r["id"], "bill": r.get("bill", r.get("bill_id")), "amount": str(r["amount"]), "method": r["method"],
            "paid_on": r["paid_on"].isoformat(), "reference": r["reference"], "receipt_no": r["receipt_no"]}


class FeesApiController(Controller):
    path = "/api/t/{slug:str}/bills"
    dependencies = {"ctx": Provide(provide_api_context)}

    @get("/", name="api.bills.list", guards=[requires("fees.view")], responses=API_ERRORS)
    async def list_bills(self, ctx: NamedDependency[TenantContext], period: FromQuery[str | None] = None,
                         unpaid: FromQuery[bool] = False, page: FromQuery[str | None] = None) -> Response:
        """One month's bills (period=YYYY-MM, required), 50 a page (page=1, 2, …)."""
        month = schemas.parse_month(period or "")
        if month is None:
            return Response({"error": {"status": 422, "message": "period",
                                       "fields": {"period": "YYYY-MM"}}}, status_code=422)
        found = await queries.search_bills(ctx, queries.BillFilters(period=month, unpaid=unpaid), page)
        return Response({"items": [bill_json(r) for r in found.rows], "total": found.total,
                         "page": found.number, "pages": found.pages})

    @get("/{bill_id:int}", name="api.bills.detail", guards=[requires("fees.view")], responses=API_ERRORS)
    async def detail(self, ctx: NamedDependency[TenantContext], bill_id: FromPath[int]) -> dict:
        found = await queries.bill_page(ctx, bill_id)
        return bill_json(found["bill"]) | {"payments": [payment_json(p) for p in found["payments"]]}

    @post("/{bill_id:int}/payments", name="api.bills.pay", guards=[requires("fees.collect")], status_code=201,
          responses=API_ERRORS, operation_class=PaymentOperation)
    async def pay(self, request: Request, ctx: NamedDependency[TenantContext], bill_id: FromPath[int]) -> Response:
        """Record a payment (part payments welcome); 201 with it, its receipt number included.
        The body is read after the bill is found: another tenant's bill is a 404 whatever is sent."""
        await queries.bill_page(ctx, bill_id)
        try:
            data = msgspec.json.decode(await request.body(), type=PaymentIn)
        except msgspec.DecodeError as exc:  # ValidationError included: names the field
            return error_response(request, 400, "", {"body": str(exc)})
        form = Form(msgspec.to_builtins(data))
        try:
            payment = await services.record_payment(ctx, bill_id, form)
        except FieldErrors as exc:
            return error_response(request, 422, "", exc.translated_all())
        except Refused as exc:
            return Response({"error": {"status": 409, "code": exc.code, "message": exc.translated()}},
                            status_code=409)
        return Response(payment_json(payment), status_code=201)
