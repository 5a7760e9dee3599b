"""A art. 20: the analysis report of a period issued (上报) to management. The row freezes the
report's headline figures as they were when it was issued (the caller reads them with
queries.reports.issued.frozen_figures: services never import queries); a period is issued once,
a second issue is refused naming who issued it and when (the frozen report is what management
has)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.complaints.tables import ComplaintReportIssue as Issue
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import clean_text
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

PERMISSION = "complaints.reports"
NOTE_LIMIT = 500
KINDS = ("month", "quarter", "half", "custom")
ALREADY_ISSUED = i18n.lazy("This period's report was already issued to management on %(day)s by %(name)s.")
NOT_STARTED = i18n.lazy("A report is issued for a period that has begun.")


def _period(figures: dict[str, Any]) -> tuple[str, str, date, date]:
    """(kind, key, first day, last day) of the frozen report; FieldError "period" otherwise."""
    try:
        found = figures["period"]
        kind, key, start, end = (found["kind"], str(found["key"])[:30], date.fromisoformat(found["start"]),
                                 date.fromisoformat(found["end"]))
    except (KeyError, TypeError, ValueError):
        raise FieldError("period", "Choose one of the listed values.") from None
    if kind not in KINDS or end < start:
        raise FieldError("period", "Choose one of the listed values.")
    return kind, key, start, end


async def issue_analysis_report(ctx: TenantContext, figures: dict[str, Any], note: str = "") -> int:
    """Record that the report whose headline `figures` (compute.headline, its period inside)
    went to management; the issue's id. FieldError "note" (too long, control characters) and
    "period", Refused "period" (not begun) and "already_issued" (409), 403 without
    complaints.reports."""
    ctx.require(PERMISSION)
    text, problem = clean_text(note, max_length=NOTE_LIMIT, multiline=True)
    if problem:
        raise FieldError("note", problem, max=NOTE_LIMIT)
    kind, key, start, end = _period(figures)
    if start > clock.today_in(ctx.tenant.timezone):
        raise Refused("period", NOT_STARTED)
    async with transaction(ctx.tenant_id, write=True):
        made = await Issue.insert(Issue(
            tenant=ctx.tenant_id, period_kind=kind, period_key=key, first_day=start, last_day=end, note=text,
            figures=figures, issued_by=ctx.user.id, issued_at=clock.now(),
        )).on_conflict(action="DO NOTHING").returning(Issue.id)
        if not made:
            raise await _already(ctx, kind, start, end)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="complaints.report_issue",
                           object_type="complaint_report_issue", object_id=made[0]["id"],
                           after={"period": key, "kind": kind, "note": text, "received": figures.get("received")})
    return int(made[0]["id"])


async def _already(ctx: TenantContext, kind: str, start: date, end: date) -> Refused:
    found = await scoped(Issue, ctx.tenant_id, Issue.issued_at, Issue.issued_by.name.as_alias("name")).where(
        Issue.period_kind == kind, Issue.first_day == start, Issue.last_day == end).first()
    day = i18n.fmt_date(found["issued_at"], ctx.tenant.timezone) if found else ""
    return Refused("already_issued", ALREADY_ISSUED, day=day, name=(found or {}).get("name") or "—")
