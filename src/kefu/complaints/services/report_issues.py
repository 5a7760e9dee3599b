"""A art. 20: the analysis report of a period issued (上报) to management. The row freezes the
report's headline figures as they were when it was issued; a period is issued once (a second
issue is refused, naming who issued it and when: the frozen report is what management has)."""

from __future__ import annotations

from kefu import i18n
from kefu.audit import services as audit
from kefu.complaints.policy import policy_for
from kefu.complaints.queries import reports as q
from kefu.complaints.queries.reports import compute as a
from kefu.complaints.queries.reports import issued
from kefu.complaints.tables import ComplaintReportIssue
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import clean_text
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

PERMISSION = "complaints.reports"
NOTE_LIMIT = 500
ALREADY_ISSUED = i18n.lazy("This period's report was already issued to management on %(day)s by %(name)s.")
NOT_STARTED = i18n.lazy("A report is issued for a period that has begun.")


async def issue_analysis_report(ctx: TenantContext, period: a.Period, note: str = "") -> int:
    """Record that `period`'s analysis report went to management, with its figures frozen; the
    issue's id.
    FieldError "note" (too long, control characters), Refused "period" (not begun) and
    "already_issued" (409), 403 without complaints.reports."""
    ctx.require(PERMISSION)
    text, problem = clean_text(note, max_length=NOTE_LIMIT, multiline=True)
    if problem:
        raise FieldError("note", problem, max=NOTE_LIMIT)
    today = clock.today_in(ctx.tenant.timezone)
    if period.start > today:
        raise Refused("period", NOT_STARTED)
    policy = policy_for(ctx.tenant.kind, ctx.tenant.settings)
    async with transaction(ctx.tenant_id, write=True):
        report = await q.analysis(ctx.tenant_id, period, today, channel_order=tuple(c.code for c in policy.channels),
                                  category_order=tuple(c.code for c in policy.categories))
        figures = a.headline(report)
        made = await ComplaintReportIssue.insert(ComplaintReportIssue(
            tenant=ctx.tenant_id, period_kind=period.kind, period_key=a.period_key(period), first_day=period.start,
            last_day=period.end, note=text, figures=figures, issued_by=ctx.user.id, issued_at=clock.now(),
        )).on_conflict(action="DO NOTHING").returning(ComplaintReportIssue.id)
        if not made:
            raise await _already(ctx, period)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="complaints.report_issue",
                           object_type="complaint_report_issue", object_id=made[0]["id"],
                           after={"period": a.period_key(period), "kind": period.kind, "note": text,
                                  "received": figures["received"]})
    return int(made[0]["id"])


async def _already(ctx: TenantContext, period: a.Period) -> Refused:
    found = await issued.issued_for(ctx.tenant_id, period)
    day = i18n.fmt_date(found["issued_at"], ctx.tenant.timezone) if found else ""
    return Refused("already_issued", ALREADY_ISSUED, day=day, name=(found or {}).get("issued_by_name") or "—")
