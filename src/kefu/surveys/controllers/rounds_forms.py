"""Reading the new-round and schedule forms into the services' shapes, and the words for codes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from kefu import i18n
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.customers import policy as customer_policy
from kefu.surveys import audience_list
from kefu.surveys.audience import Audience
from kefu.surveys.rounds import RoundInput
from kefu.surveys.schedule import ScheduleRules, local_midnight
from kefu.surveys.tables import SurveyTemplate

STATUS_LABELS = {"scheduled": i18n.lazy("Scheduled"), "open": i18n.lazy("Running"), "closed": i18n.lazy("Ended")}
STATE_LABELS = {"invited": i18n.lazy("Not answered"), "answered": i18n.lazy("Has answered")}
CHANNEL_LABELS = {"sms": i18n.lazy("SMS"), "email": i18n.lazy("Email"), "letter": i18n.lazy("Letter (no notice)"),
                  "none": i18n.lazy("No message (poster only)")}
AUDIENCE_LABELS = {"all": i18n.lazy("All customers"), "buildings": i18n.lazy("Chosen buildings"),
                   "segment": i18n.lazy("A segment"), "list": i18n.lazy("An uploaded list"),
                   "none": i18n.lazy("Nobody by name (open link only)")}
KIND_LABELS = customer_policy.KIND_MSGIDS  # the registry's own words for its kinds


def label(table: dict[str, str], code: str) -> str:
    return i18n.gettext(table[code]) if code in table else code


def helpers() -> dict[str, Any]:
    return {
        "status_label": lambda c: label(STATUS_LABELS, c), "state_label": lambda c: label(STATE_LABELS, c),
        "channel_label": lambda c: label(CHANNEL_LABELS, c), "audience_label": lambda c: label(AUDIENCE_LABELS, c),
        "kind_label": lambda c: label(KIND_LABELS, c), "audience_kinds": list(AUDIENCE_LABELS),
        "pct": lambda v: "–" if v is None else f"{v:.1f}%",
    }


async def templates_choice(tenant_id: int) -> list[dict[str, Any]]:
    return await scoped(SurveyTemplate, tenant_id, SurveyTemplate.id, SurveyTemplate.name).where(
        SurveyTemplate.is_archived.eq(False)).order_by(SurveyTemplate.name)


def _day(data: dict[str, str], name: str) -> date:
    try:
        return date.fromisoformat(data.get(name, ""))
    except ValueError:
        raise FieldError(name, "Enter a date as YYYY-MM-DD.") from None


def _number(data: dict[str, str], name: str, default: int = 0) -> int:
    raw = data.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 4:
        raise FieldError(name, "Enter a whole number.")
    return int(raw)


def _id(data: dict[str, str], name: str) -> int:
    raw = data.get(name, "")
    if not raw.isdigit() or len(raw) > 10:
        raise FieldError(name, "Choose a value from the list.")
    return int(raw)


async def read_audience(ctx: TenantContext, form: Any, data: dict[str, str], *, allow_list: bool) -> Audience:
    kind = data.get("audience", "all")
    if kind not in AUDIENCE_LABELS or (kind == "list" and not allow_list):
        raise FieldError("audience", "Choose a value from the list.")
    kinds = tuple(k for k in form.getall("customer_kinds", []) if isinstance(k, str) and k in KIND_LABELS)
    buildings = tuple(b.strip()[:100] for b in form.getall("buildings", []) if isinstance(b, str) and b.strip())
    segment = data.get("segment", "")[:50] if kind == "segment" else ""
    if kind != "list":
        return Audience(kind=kind, customer_kinds=kinds, buildings=buildings if kind == "buildings" else (),
                        segment=segment)
    upload = form.get("list_file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FieldError("list_file", "Upload a list with at least one person.")
    try:
        rows, errors = audience_list.parse_list(upload.filename, await upload.read())
    except audience_list.ListError as exc:
        raise FieldError("list_file", exc.message, **exc.variables) from None
    if errors:
        raise ListProblems(errors)
    rows = await audience_list.match_customers(ctx.tenant_id, rows)
    return Audience(kind="list", rows=tuple(rows), list_consent=data.get("list_consent") == "on")


class ListProblems(ValueError):
    """An uploaded list with per-row errors: nothing is created, every error is shown."""

    def __init__(self, errors: list[audience_list.RowError]) -> None:
        super().__init__(f"{len(errors)} row errors")
        self.errors = errors


async def read_round(ctx: TenantContext, request: Request) -> tuple[RoundInput, dict[str, str]]:
    form = await request.form()
    data = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    if any("\x00" in v for v in data.values()):
        raise FieldError(next(k for k, v in data.items() if "\x00" in v), "Enter a valid value.")
    tz = ctx.tenant.timezone
    opens_on, closes_on = _day(data, "opens_on"), _day(data, "closes_on")
    if closes_on < opens_on:
        raise FieldError("closes_on", "The round must close after it opens.")
    today = clock.today_in(tz)
    opens_at = clock.now() if opens_on <= today else local_midnight(opens_on, tz)
    round_input = RoundInput(
        template_id=_id(data, "template_id"), title=data.get("title", ""),
        audience=await read_audience(ctx, form, data, allow_list=True),
        opens_at=opens_at, closes_at=local_midnight(closes_on + timedelta(days=1), tz),
        reminder_after_days=_number(data, "reminder_after_days"), open_link=data.get("open_link") == "on",
    )
    return round_input, data


async def read_schedule(ctx: TenantContext, request: Request) -> tuple[dict[str, Any], dict[str, str]]:
    form = await request.form()
    data = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    rules = ScheduleRules(
        first_half_opens=data.get("first_half_opens", "")[:5], second_half_opens=data.get("second_half_opens", "")[:5],
        duration_days=_number(data, "duration_days", 14), reminder_after_days=_number(data, "reminder_after_days"),
    )
    values = {
        "template_id": _id(data, "template_id"), "enabled": data.get("enabled") == "on", "rules": rules,
        "audience": await read_audience(ctx, form, data, allow_list=False), "open_link": data.get("open_link") == "on",
    }
    return values, data


