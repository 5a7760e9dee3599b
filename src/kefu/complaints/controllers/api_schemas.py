"""The JSON API's shapes: the request body Litestar parses (msgspec), the complaint as JSON,
and 400s that name the field.

Types are checked here (a string where a string belongs, a real date); codes, lengths and the
rules of registration are the core's (complaints.schemas), which answers 422 naming the field.
Unknown fields are refused, so a misspelt `recieved_on` is a 400, not a silent "today".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import ClientException, SerializationException, ValidationException

from kefu.complaints.services import deadlines_view
from kefu.core import http_errors
from kefu.core.errors import Refused


class ComplainantIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    phone: str = ""
    email: str = ""
    relation: str = "consumer"  # policy.RELATIONS: consumer | agent (A art. 15(1))
    address: str = ""
    authorisation_doc: bool = False


class RegulatorIn(msgspec.Struct, forbid_unknown_fields=True):
    """A art. 13: only with channel "regulator"."""

    unit: str
    reference: str = ""
    report_requested: str = ""
    report_due: date | None = None


class ComplaintIn(msgspec.Struct, forbid_unknown_fields=True):
    channel: str  # policy.CHANNELS
    complainant: ComplainantIn
    subject: str
    description: str
    category: str  # a code of the tenant's policy.categories
    received_on: date | None = None  # default: today in the tenant's zone
    materials_complete: bool = False
    customer_ref: str = ""
    regulator: RegulatorIn | None = None
    idempotency_key: str | None = None

    def to_core(self) -> dict[str, Any]:
        """The mapping complaints.services.register_complaint reads (None = its default)."""
        data = msgspec.to_builtins(self)
        return {k: v for k, v in data.items() if v is not None}


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def complaint_json(
    row: Mapping[str, Any] | Any, status_url: Callable[[str], str], *, detail: bool = True
) -> dict:
    """A complaint as the API shows it; `row` is a Complaint or a select()'s dict, and
    `status_url(token)` the path of its public status page. The list leaves out the
    description (up to 10,000 characters each)."""
    r = row if isinstance(row, Mapping) else row.to_dict()
    out = {
        "id": r["id"],
        "number": r["number"],
        "status": r["status"],
        "channel": r["channel"],
        "source": r["source"],
        "received_on": _iso(r["received_on"]),
        "category": r["category"],
        "subject": r["subject"],
        "customer_ref": r["customer_ref"],
        "complainant": {
            "name": r["complainant_name"],
            "phone": r["complainant_phone"],
            "email": r["complainant_email"],
            "relation": r["complainant_relation"],
        },
        "materials_complete": r["materials_complete_on"] is not None,
        "materials_complete_on": _iso(r["materials_complete_on"]),
        "deadlines": deadlines_view(SimpleNamespace(**r)),
        "decided_on": _iso(r["decided_on"]),
        "closed_on": _iso(r["closed_on"]),
        # The complainant's secret status page, for an integration that texts it to them.
        "status_url": status_url(r["public_token"]),
    }
    if detail:
        out["description"] = r["description"]
    return out


# msgspec names a missing or unknown field in its message and the object holding it in the key.
_NAMED_IN_MESSAGE = re.compile(r"Object (?:missing required|contains unknown) field `([^`]+)`")


def _field_key(key: str, message: str) -> str:
    parent = "" if key in ("", "data") else key
    named = _NAMED_IN_MESSAGE.search(message)
    if named:
        return f"{parent}.{named.group(1)}" if parent else named.group(1)
    return parent or "body"


def validation_handler(request: Request, exc: ValidationException) -> Response:
    """Litestar's 400 with each key naming the field (`subject`, `complainant.name`; `body`
    when the body as a whole is wrong), in the app's error shape."""
    fields: dict[str, str] = {}
    matched = http_errors.matched_path_params(request)
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict) or str(item.get("key", "")) in matched:
            continue
        message = str(item.get("message", ""))
        key = str(item.get("key", ""))
        if item.get("source", "body") == "body":
            key = _field_key(key, message)
            if message == "'data'":  # Litestar's KeyError text for an empty body
                message = "A JSON object is required."
        fields[key or "body"] = message
    return http_errors.error_response(request, 400, exc.detail or "", fields or None)


def refused_response(exc: Refused) -> Response:
    """409 in the app's error shape, with the refusal's stable code next to its words."""
    error = {"status": 409, "message": exc.translated(), "code": exc.code}
    return Response({"error": error}, status_code=409, media_type=MediaType.JSON)


def client_error_handler(request: Request, exc: ClientException) -> Response:
    """A body that cannot be decoded (malformed JSON) is a 400 about the body as a whole."""
    if isinstance(exc, ValidationException):
        return validation_handler(request, exc)
    if isinstance(exc, Refused):
        return refused_response(exc)
    detail = exc.detail or ""
    undecodable = isinstance(exc.__cause__, SerializationException)
    fields = {"body": f"Malformed JSON: {detail}"} if undecodable else None
    return http_errors.error_response(request, exc.status_code, detail, fields)
