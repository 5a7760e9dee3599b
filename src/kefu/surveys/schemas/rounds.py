"""Reading the new-round and schedule forms into the services' shapes, through the shared form
gate (kefu.core.forms): every text checked for control characters, numbers in ASCII digits. The
first field at fault is raised as a FieldError naming it (the form shows it beside the field)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from kefu.core import clock, forms
from kefu.core.errors import FieldError
from kefu.core.tenancy import TenantContext
from kefu.customers import queries as customers
from kefu.surveys import labels
from kefu.surveys.policy.audience import Audience
from kefu.surveys.policy.rounds import RoundInput
from kefu.surveys.policy.schedule import ScheduleRules, local_midnight
from kefu.surveys.schemas import audience_list
from kefu.units import queries as units

KIND_CODES = tuple(customers.kind_labels())  # the registry's kinds a round may narrow to


def _day(form: forms.Form, name: str) -> date:
    value = forms.parse_day(form.raw(name))
    if value is None:
        raise FieldError(name, forms.NOT_DAY)
    return value


def _number(form: forms.Form, name: str, default: int = 0) -> int:
    """A small whole number (services check its range and say what it must be)."""
    raw = form.raw(name).strip()
    value = forms.parse_int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else None
    if raw and value is None:
        raise FieldError(name, "Enter a whole number.")
    return default if value is None else value


def _id(form: forms.Form, name: str) -> int:
    raw = form.raw(name).strip()
    value = forms.parse_int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else None
    if value is None:
        raise FieldError(name, "Choose a value from the list.")
    return value


async def _gate(request: Request) -> tuple[forms.Form, Any]:
    """The form through the gate (control characters refused by field), and the raw form for
    the uploaded file and the multi-valued boxes."""
    form = await forms.Form.read(request)
    for name in form.invalid:
        raise FieldError(name, forms.INVALID)
    for name in form.data:
        if forms.has_control(form.data[name], multiline=True):
            raise FieldError(name, forms.INVALID)
    return form, await forms.read_raw(request)


async def _unit_choices(ctx: TenantContext, form: forms.Form) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The "units" audience's buildings (ids of the tenant's buildings) and occupancy states."""
    known = {str(b["id"]): b["id"] for b in await units.building_choices(ctx.tenant_id)}
    picked = [b.strip() for b in form.lists.get("unit_buildings", []) if b.strip()]
    if not known or any(b not in known for b in picked):
        raise FieldError("unit_buildings", "Choose a value from the list.")
    states = [o.strip() for o in form.lists.get("occupancy", []) if o.strip()]
    if any(o not in set(units.occupancy_labels()) for o in states):
        raise FieldError("occupancy", "Choose a value from the list.")
    return tuple(sorted({known[b] for b in picked})), tuple(sorted(set(states)))


async def read_audience(ctx: TenantContext, form: forms.Form, raw: Any, *, allow_list: bool) -> Audience:
    kind = form.raw("audience").strip() or "all"
    if kind not in labels.AUDIENCE or (kind == "list" and not allow_list):
        raise FieldError("audience", "Choose a value from the list.")
    kinds = tuple(k for k in form.lists.get("customer_kinds", []) if k in KIND_CODES)
    buildings = tuple(b.strip()[:100] for b in form.lists.get("buildings", []) if b.strip())
    segment = form.raw("segment").strip()[:50] if kind == "segment" else ""
    if kind == "units":
        unit_buildings, occupancy = await _unit_choices(ctx, form)
        return Audience(kind=kind, customer_kinds=kinds, unit_buildings=unit_buildings, occupancy=occupancy)
    if kind != "list":
        return Audience(kind=kind, customer_kinds=kinds, buildings=buildings if kind == "buildings" else (),
                        segment=segment)
    # The file is read by a job (kefu.surveys.services.list_rounds): here, only that there is one.
    upload = raw.get("list_file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FieldError("list_file", "Upload a list with at least one person.")
    return Audience(kind="list", list_consent=form.raw("list_consent") == "on")


async def list_file(raw: Any) -> tuple[str, bytes]:
    """The uploaded audience list (name, content), its size and type checked; FieldError else."""
    upload = raw.get("list_file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FieldError("list_file", "Upload a list with at least one person.")
    filename = forms.clean_text(upload.filename, max_length=len(upload.filename))[0][-255:] or "list.csv"
    content = await upload.read()
    try:
        audience_list.check_file(filename, content)
    except audience_list.ListError as exc:
        raise FieldError("list_file", exc.message, **exc.variables) from None
    return filename, content


async def read_round(ctx: TenantContext, request: Request) -> RoundInput:
    form, raw = await _gate(request)
    tz = ctx.tenant.timezone
    opens_on, closes_on = _day(form, "opens_on"), _day(form, "closes_on")
    if closes_on < opens_on:
        raise FieldError("closes_on", "The round must close after it opens.")
    today = clock.today_in(tz)
    opens_at = clock.now() if opens_on <= today else local_midnight(opens_on, tz)
    return RoundInput(
        template_id=_id(form, "template_id"), title=form.raw("title").strip(),
        audience=await read_audience(ctx, form, raw, allow_list=True),
        opens_at=opens_at, closes_at=local_midnight(closes_on + timedelta(days=1), tz),
        reminder_after_days=_number(form, "reminder_after_days"), open_link=form.raw("open_link") == "on",
    )


async def read_schedule(ctx: TenantContext, request: Request) -> dict[str, Any]:
    form, raw = await _gate(request)
    rules = ScheduleRules(
        first_half_opens=form.raw("first_half_opens").strip()[:5],
        second_half_opens=form.raw("second_half_opens").strip()[:5],
        duration_days=_number(form, "duration_days", 14), reminder_after_days=_number(form, "reminder_after_days"),
    )
    return {
        "template_id": _id(form, "template_id"), "enabled": form.raw("enabled") == "on", "rules": rules,
        "audience": await read_audience(ctx, form, raw, allow_list=False),
        "open_link": form.raw("open_link") == "on",
    }


def form_data(form: Any) -> dict[str, Any]:
    """The posted form as the page shows it again after an error."""
    data: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    data["_buildings"] = [b for b in form.getall("buildings", []) if isinstance(b, str)]
    data["_kinds"] = [k for k in form.getall("customer_kinds", []) if isinstance(k, str)]
    data["_unit_buildings"] = [b for b in form.getall("unit_buildings", []) if isinstance(b, str)]
    data["_occupancy"] = [o for o in form.getall("occupancy", []) if isinstance(o, str)]
    return data
