"""The bodies of the complaints API's actions: one msgspec struct per action (unknown fields
refused), read only once the complaint is found, a body of the wrong shape answered with a 400
naming the field, and every text through the core's gate (422 naming the field).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar

import msgspec
import msgspec.inspect
from litestar import Request
from litestar.exceptions import ValidationException

from kefu.complaints import services
from kefu.core.errors import FieldError
from kefu.core.forms import clean_text
from kefu.core.tenancy import TenantContext

# Longest text an action takes (a decision's wording, a note); the services check their own
# tighter limits and answer naming the field.
MAX_TEXT = 10_000


class _In(msgspec.Struct, forbid_unknown_fields=True):
    pass


class RequestMaterialsIn(_In):
    missing: str  # what the complainant must supply (A art. 12)


class MaterialsCompleteIn(_In):
    complete_on: date | None = None  # default: today in the tenant's zone


class NotAcceptIn(_In):
    ground: str  # a code of the pack's not-accepted grounds
    reason: str = ""


class TransferInternalIn(_In):
    department: str
    reason: str = ""


class TransferOutIn(_In):
    unit: str  # the body the complaint is passed to
    reason: str = ""


class MergeIn(_In):
    into_id: int  # the earlier complaint this later one repeats (A art. 15)
    new_facts: str


class AssignIn(_In):
    handler_id: int  # a member who may handle complaints


class NoteIn(_In):
    body: str
    kind: str = "note"  # note | major_report


class ReasonIn(_In):
    reason: str


class OptionalReasonIn(_In):
    reason: str = ""


class DecideIn(_In):
    decision: str  # upheld | partly | not_upheld
    text: str  # the findings and decision as told to the complainant
    remedy: str = ""  # required unless not upheld


class MajorIn(_In):
    major: bool = True


class RegulatorReportIn(_In):
    sent_on: date | None = None  # default: today


def text_field(field: str, value: str, *, multiline: bool = True) -> str:
    """A text field through the core's gate (control characters, length): 422 naming it."""
    text, problem = clean_text(value, max_length=MAX_TEXT, multiline=multiline)
    if problem:
        raise FieldError(field, problem, max=MAX_TEXT)
    return text


def texts(data: msgspec.Struct) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in data.__struct_fields__:
        value = getattr(data, name)
        out[name] = text_field(name, value) if isinstance(value, str) else value
    return out


T = TypeVar("T", bound=msgspec.Struct)


async def read_body(request: Request, ctx: TenantContext, complaint_id: int, shape: type[T]) -> T:
    """The action's JSON body, read only once the complaint is found (another tenant's id is
    a 404 whatever is sent); a body of the wrong shape is a 400 naming the field."""
    await services.get_complaint(ctx, complaint_id)
    raw = await request.body()
    if not raw.strip() and not _required(shape):
        raw = b"{}"
    try:
        return msgspec.json.decode(raw, type=shape)
    except msgspec.ValidationError as exc:
        raise _shape_error(str(exc)) from None
    except msgspec.DecodeError as exc:
        message = "A JSON object is required." if not raw.strip() else f"Malformed JSON: {exc}"
        raise ValidationException(detail="", extra=[{"key": "body", "message": message}]) from None


_AT = re.compile(r"at `\$\.(\w+)")


def _shape_error(message: str) -> ValidationException:
    """msgspec's message names a missing or unknown field in backquotes, a wrong type by its
    path (`$.missing`): validation_handler turns either into the field's key."""
    at = _AT.search(message)
    return ValidationException(detail="", extra=[{"key": at.group(1) if at else "", "message": message}])


def _required(shape: type[msgspec.Struct]) -> bool:
    return any(f.required for f in msgspec.inspect.type_info(shape).fields)  # type: ignore[attr-defined]
