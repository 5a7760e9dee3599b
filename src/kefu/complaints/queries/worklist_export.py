"""The worklist's Excel export: the same read for a small export written in the request and a
large one written by a job (kefu.workers.services.run_export)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kefu import i18n
from kefu.complaints import labels
from kefu.complaints.policy import ComplaintPolicy, overdue_state, policy_for
from kefu.complaints.queries import worklist
from kefu.complaints.tables import Complaint
from kefu.core import clock, excel
from kefu.core.labels import Labels
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import TenantContext

EXPORTING = i18n.lazy("Preparing the complaints export")

EXPORT_COLUMNS = (
    *worklist.COLUMNS, Complaint.complainant_email, Complaint.complainant_relation,
    Complaint.customer_ref, Complaint.materials_notice_due, Complaint.acceptance_notice_due,
    Complaint.decision_due, Complaint.decision, Complaint.decided_on, Complaint.closed_on,
)
EXPORT_HEADERS = [
    i18n.lazy("Number"), i18n.lazy("Status"), i18n.lazy("Channel"), i18n.lazy("Received on"),
    i18n.lazy("Complainant"), i18n.lazy("Phone"), i18n.lazy("Email"), i18n.lazy("Subject"),
    i18n.lazy("Category"), i18n.lazy("Policy or unit"), i18n.lazy("Handler"),
    i18n.lazy("Next deadline"), i18n.lazy("Due on"), i18n.lazy("Due state"),
    i18n.lazy("Materials notice due"), i18n.lazy("Acceptance notice due"),
    i18n.lazy("Decision due"), i18n.lazy("Provisional"), i18n.lazy("Decision"),
    i18n.lazy("Decided on"), i18n.lazy("Closed on"),
]
CUSTOMER_REF_COLUMN = 9  # its header is the pack's word ("policy or unit", "unit")


async def export_rows(ctx: TenantContext, f: worklist.Filters) -> list[dict[str, Any]]:
    ctx.require("complaints.view")
    today = clock.today_in(ctx.tenant.timezone)
    values = worklist.bound_values(f, ctx, today)
    where = worklist.conditions(f, values, worklist.complaint_policy(ctx).number_prefix)
    query = scoped(Complaint, ctx.tenant_id, *EXPORT_COLUMNS).where(*where)
    return await worklist.ordered(query, f).limit(worklist.EXPORT_LIMIT)


def _export_values(
    r: dict[str, Any], policy: ComplaintPolicy, categories: Labels, today: date
) -> list[Any]:
    state = overdue_state(r["next_due"], today, policy.reminder_days_before)
    return [
        r["number"], labels.STATUS_LABELS(r["status"]), labels.channel_labels(policy)(r["channel"]),
        r["received_on"], r["complainant_name"], r["complainant_phone"],
        r["complainant_email"], r["subject"], categories(r["category"]),
        r["customer_ref"], r["handler_name"] or "", labels.deadline_labels(policy)(r["next_due_kind"]),
        r["next_due"], labels.due_label(state), r["materials_notice_due"],
        r["acceptance_notice_due"], r["decision_due"],
        i18n.gettext("Yes") if r["deadlines_provisional"] else "",
        labels.DECISION_LABELS(r["decision"]), r["decided_on"], r["closed_on"],
    ]


def export_table(ctx: TenantContext, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The export's headers and rows in words (the reader's language)."""
    policy, today = worklist.complaint_policy(ctx), clock.today_in(ctx.tenant.timezone)
    words = labels.wording(policy)
    headers = [words("customer_ref") if i == CUSTOMER_REF_COLUMN else i18n.gettext(x)
               for i, x in enumerate(EXPORT_HEADERS)]
    categories = labels.category_labels(policy)
    return headers, [_export_values(r, policy, categories, today) for r in rows]


def export_args(params: Any) -> dict[str, Any]:
    """The worklist's filters as a job stores them (read again, and checked, by export_file)."""
    return dict(worklist.parse_filters(params).__dict__)


async def export_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    ctx.require("complaints.view")
    f = worklist.parse_filters(args)
    values = worklist.bound_values(f, ctx, clock.today_in(ctx.tenant.timezone))
    prefix = policy_for(ctx.tenant.kind, ctx.tenant.settings).number_prefix
    return await scoped_count(Complaint, ctx.tenant_id).where(*worklist.conditions(f, values, prefix))


async def export_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the filtered worklist, up to worklist.EXPORT_LIMIT rows: written
    in the request when small, by a job (jobs.export_complaints) when large."""
    rows = await export_rows(ctx, worklist.parse_filters(args))

    def write(_: Any) -> bytes:  # in a thread; the reader's locale travels in the context
        headers, values = export_table(ctx, rows)
        return excel.table(i18n.gettext("Complaints"), headers, values, tz=ctx.tenant.timezone)

    return f"complaints-{ctx.tenant.slug}.xlsx", await runner.in_thread(write)
