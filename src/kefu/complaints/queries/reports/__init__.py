"""The reports' reads (A art. 19-20): one GROUP BY query per breakdown, turned into figures by the
pure functions of compute.py; every query scoped to the tenant (kefu.core.scoping) and run in
the tenant's read transaction.

Queries run one after another: a transaction holds one connection (no asyncio.gather).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from piccolo.query.functions.aggregate import Count, Max

from kefu.complaints.policy import GOVERNANCE_KINDS
from kefu.complaints.queries.reports import compute as a
from kefu.complaints.tables import Complaint, GovernanceDocument
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.db import transaction
from kefu.notifications.queries import NoticeView, compliance, late_notices, notices_for

LATE_LIMIT = 500  # rows of the late/overdue list per source


def _received_in(period: a.Period) -> tuple:
    return Complaint.received_on >= period.start, Complaint.received_on <= period.end


async def _grouped(tenant_id: int, period: a.Period, *columns) -> list[dict[str, Any]]:
    query = scoped(Complaint, tenant_id, *columns, Count()).where(*_received_in(period))
    return await query.group_by(*columns)


async def _pending(
    tenant_id: int, duty: a.Duty, column_name: str, period: a.Period
) -> list[dict[str, Any]]:
    """Complaints still owing `duty` with no notice written (due date in `column_name`), grouped
    by due date (and paused)."""
    column = getattr(Complaint, column_name)
    query = scoped(Complaint, tenant_id, column.as_alias("due"), Complaint.paused_since, Count()).where(
        Complaint.status.is_in(list(a.PENDING_STATUSES[duty.code])), column >= period.start,
        column <= period.end,
    )
    rows = await query.group_by(column, Complaint.paused_since)
    paused_matters = duty.code == "decision_notice"  # an appraisal pauses only the decision clock
    return [
        {"due": r["due"], "count": r["count"], "paused": paused_matters and r["paused_since"] is not None}
        for r in rows
    ]


async def duties(tenant_id: int, period: a.Period, today: date) -> list[a.DutyFigures]:
    """Per statutory duty: notices due in the period (sent on time, late, open, overdue) and the
    complaints whose due date falls in it that still wait for the notice to be written."""
    async with transaction(tenant_id, write=False):
        kind_rows = await compliance(tenant_id, list(a.NOTICE_KINDS), period.start, period.end)
        pending = {}
        for duty in a.DUTIES:
            if duty.pending_column:
                rows = await _pending(tenant_id, duty, duty.pending_column, period)
                pending[duty.code] = a.split_pending(rows, today)
    return a.duty_figures(kind_rows, pending)


async def figures(tenant_id: int, period: a.Period, today: date) -> a.Figures:
    """Every figure of the analysis report for one period."""
    async with transaction(tenant_id, write=False):
        channels = a.counts(await _grouped(tenant_id, period, Complaint.channel), "channel")
        categories = a.counts(await _grouped(tenant_id, period, Complaint.category), "category")
        outcomes = a.outcome_counts(
            await _grouped(tenant_id, period, Complaint.status, Complaint.decision)
        )
        departments = a.counts(await _grouped(tenant_id, period, Complaint.department), "department")
        # Receipt -> closing, over the complaints decided and closed in the period.
        handled = await scoped(
            Complaint, tenant_id, Complaint.received_on, Complaint.closed_on, Count()
        ).where(
            Complaint.status == "closed", Complaint.closed_on >= period.start,
            Complaint.closed_on <= period.end,
        ).group_by(Complaint.received_on, Complaint.closed_on)
        people = await scoped(
            Complaint, tenant_id, Complaint.complainant_phone.as_alias("phone"),
            Complaint.complainant_email.as_alias("email"),
            Max(Complaint.complainant_name).as_alias("name"), Count(),
        ).where(
            *_received_in(period), (Complaint.complainant_phone != "") | (Complaint.complainant_email != "")
        ).group_by(Complaint.complainant_phone, Complaint.complainant_email)
        duty_rows = await duties(tenant_id, period, today)
    return a.Figures(
        period=period, received=sum(channels.values()), channels=channels, categories=categories,
        outcomes=outcomes, departments=departments, duties=duty_rows,
        handling=a.average_days(handled), repeaters=a.repeat_complainants(people),
    )


async def received_count(tenant_id: int, start: date, end: date) -> int:
    """The complaints received from `start` to `end`: what a report over that time reads."""
    return await scoped_count(Complaint, tenant_id).where(
        Complaint.received_on >= start, Complaint.received_on <= end)


async def analysis(
    tenant_id: int, period: a.Period, today: date, *, channel_order: tuple[str, ...],
    category_order: tuple[str, ...],
) -> a.Analysis:
    current = await figures(tenant_id, period, today)
    previous = await figures(tenant_id, period.previous(), today)
    return a.Analysis(current, previous, channel_order, category_order)


async def late_list(tenant_id: int, period: a.Period, today: date) -> list[a.LateItem]:
    """Notices due in the period that went out late or are overdue, and complaints past such a
    due date whose notice is not even written; each with its complaint number."""
    async with transaction(tenant_id, write=False):
        notices = await late_notices(
            tenant_id, "complaint", list(a.NOTICE_KINDS), period.start, period.end, today, limit=LATE_LIMIT
        )
        pending: list[dict[str, Any]] = []
        last = min(period.end, today - timedelta(days=1))
        for duty in a.DUTIES:
            if not duty.pending_column:
                continue
            column = getattr(Complaint, duty.pending_column)
            query = scoped(Complaint, tenant_id, Complaint.id, Complaint.number, column.as_alias("due")).where(
                Complaint.status.is_in(list(a.PENDING_STATUSES[duty.code])),
                column >= period.start, column <= last,
            )
            if duty.code == "decision_notice":
                query = query.where(Complaint.paused_since.is_null())
            pending += [r | {"duty": duty.code} for r in await query.order_by(column).limit(LATE_LIMIT)]
        ids = sorted({r["subject_id"] for r in notices})
        numbers = {}
        if ids:
            rows = await scoped(Complaint, tenant_id, Complaint.id, Complaint.number).where(
                Complaint.id.is_in(ids)
            )
            numbers = {r["id"]: r["number"] for r in rows}
    return a.late_items(notices, pending, numbers)


# --- the governance register (A art. 19) and the regulator's case ----------------------------


async def governance_register(tenant_id: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """The four registers of A art. 19, each with its versions, newest first."""
    async with transaction(tenant_id, write=False):
        rows = await scoped(
            GovernanceDocument, tenant_id, GovernanceDocument.id, GovernanceDocument.kind,
            GovernanceDocument.version, GovernanceDocument.title, GovernanceDocument.body,
            GovernanceDocument.filed_with_regulator_on, GovernanceDocument.created_at,
            GovernanceDocument.created_by.name.as_alias("created_by_name"),
        ).order_by(GovernanceDocument.id)
    return group_register(rows)


def group_register(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in GOVERNANCE_KINDS}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    return [(kind, sorted(versions, key=lambda r: -r["version"])) for kind, versions in by_kind.items()]


async def regulator_case(tenant_id: int, complaint_id: int) -> tuple[Complaint, list[NoticeView]]:
    """The complaint and the notices owed to its complainant; 404 for another tenant's id."""
    async with transaction(tenant_id, write=False):
        complaint = await get_in_tenant(Complaint, tenant_id, complaint_id)
        notices = await notices_for(tenant_id, "complaint", complaint.id)
    complainant_kinds = set(a.NOTICE_KINDS) | {"pause_notice"}
    return complaint, [n for n in notices if n.kind in complainant_kinds]


async def received_between(tenant_id: int, first: date, last: date) -> int:
    """How many complaints were received on the days first..last (the property desk's monthly
    statistics, kefu.deskstats)."""
    return await scoped_count(Complaint, tenant_id).where(Complaint.received_on >= first,
                                                          Complaint.received_on <= last)
