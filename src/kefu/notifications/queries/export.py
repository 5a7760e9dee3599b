"""The filtered outbox as an Excel workbook, for the regulator's file or the posting room:
written in the request when small, by a job (jobs.export_notices) when large."""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core import excel
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.tenancy import TenantContext
from kefu.notifications.policy import CHANNEL_LABELS, STATE_LABELS, on_time, outbox_filters
from kefu.notifications.queries import outbox
from kefu.notifications.shipped import kind_label

EXPORT_LIMIT = 50_000
EXPORTING = i18n.lazy("Preparing the notices export")

HEADERS = [
    i18n.lazy("Notice"), i18n.lazy("Kind"), i18n.lazy("Channel"), i18n.lazy("State"),
    i18n.lazy("Recipient"), i18n.lazy("Email"), i18n.lazy("Phone"), i18n.lazy("Subject"),
    i18n.lazy("Due on"), i18n.lazy("Sent at"), i18n.lazy("On time"), i18n.lazy("Attempts"),
    i18n.lazy("Last error"), i18n.lazy("Created"),
]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return i18n.gettext("Yes") if value else i18n.gettext("No")


def _values(row: dict[str, Any]) -> list[Any]:
    return [
        row["id"], kind_label(row["kind"]), i18n.gettext(CHANNEL_LABELS.get(row["channel"], row["channel"])),
        i18n.gettext(STATE_LABELS.get(row["state"], row["state"])), row["recipient_name"],
        row["recipient_email"], row["recipient_phone"], row["rendered_subject"], row["due_on"],
        row["sent_at"], _yes_no(on_time(row["due_on"], row["sent_on"])), row["attempts"],
        i18n.gettext(row["last_error"]) if row["last_error"] else "", row["created_at"],
    ]


def workbook(rows: list[dict[str, Any]], tz_name: str) -> bytes:
    """Times in the tenant's wall clock; a recipient named "=HYPERLINK(…)" stays text."""
    headers = [i18n.gettext(h) for h in HEADERS]
    return excel.table(i18n.gettext("Notices"), headers, (_values(r) for r in rows), tz=tz_name, total=len(rows))


def export_args(params: Any) -> dict[str, str]:
    """The outbox's filters (state, kind) as a job stores them; read again by export_file."""
    return outbox_filters(params.get("state") or "", params.get("kind") or "")


async def export_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    ctx.require("notices.manage")
    return await outbox.export_count(ctx.tenant_id, **export_args(args))


async def export_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the filtered outbox, newest first, up to EXPORT_LIMIT notices."""
    ctx.require("notices.manage")
    rows = await outbox.export_rows(ctx.tenant_id, **export_args(args), limit=EXPORT_LIMIT)
    tz = ctx.tenant.timezone
    return f"notices-{ctx.tenant.slug}.xlsx", await runner.in_thread(lambda _: workbook(rows, tz))
