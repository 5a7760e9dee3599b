"""The register of analysis reports issued to management (A art. 20: 上报公司经营管理层): the
issue of one period, all of them newest first, one by its id, and the one whose period covers
given days (the duty task's record, kefu.complaints.duty_records)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

from kefu.complaints.queries.reports import analysis
from kefu.complaints.queries.reports.compute import headline
from kefu.complaints.queries.reports.periods import Period, as_date, period_values
from kefu.complaints.tables import ComplaintReportIssue as Issue
from kefu.core.scoping import get_in_tenant, scoped
from kefu.db import transaction

REGISTER_LIMIT = 500
# What a page reads of the frozen figures when an issue lacks one (written by an older kefu).
BLANK: dict[str, Any] = {"received": 0, "previous_received": 0, "closed": 0, "handling_days": None, "repeaters": 0,
         "breakdowns": {}, "notices": []}
COLUMNS = (Issue.id, Issue.period_kind, Issue.period_key, Issue.first_day, Issue.last_day, Issue.note,
           Issue.issued_at, Issue.issued_by.name.as_alias("issued_by_name"))


def _row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["first_day"], out["last_day"] = as_date(row["first_day"]), as_date(row["last_day"])
    out["period"] = Period(row["period_kind"], out["first_day"], out["last_day"])
    out["query"] = urlencode(period_values(out["period"]))
    if "figures" in row:
        figures = row["figures"]
        found = json.loads(figures or "{}") if isinstance(figures, str) else (figures or {})
        out["figures"] = BLANK | (found if isinstance(found, dict) else {})
    return out


async def issued_for(tenant_id: int, period: Period) -> dict[str, Any] | None:
    """The issue of exactly this period, or None while it is not issued."""
    async with transaction(tenant_id, write=False):
        row = await scoped(Issue, tenant_id, *COLUMNS).where(
            Issue.period_kind == period.kind, Issue.first_day == period.start, Issue.last_day == period.end).first()
    return _row(row) if row else None


async def register(tenant_id: int) -> list[dict[str, Any]]:
    """Every issued report, newest period first."""
    async with transaction(tenant_id, write=False):
        rows = await scoped(Issue, tenant_id, *COLUMNS).order_by(Issue.first_day, ascending=False).order_by(
            Issue.id, ascending=False).limit(REGISTER_LIMIT)
    return [_row(r) for r in rows]


async def issued_report(tenant_id: int, issue_id: int) -> dict[str, Any]:
    """One issued report with its frozen figures; 404 for another tenant's id."""
    async with transaction(tenant_id, write=False):
        await get_in_tenant(Issue, tenant_id, issue_id)
        row = await scoped(Issue, tenant_id, *COLUMNS, Issue.figures).where(Issue.id == issue_id).first()
    assert row is not None  # get_in_tenant answered 404 otherwise
    return _row(row)


async def covering(tenant_id: int, start: date, end: date) -> int | None:
    """The first report issued over a period that covers start..end (first day <= start and
    last day >= end), or None."""
    async with transaction(tenant_id, write=False):
        row = await scoped(Issue, tenant_id, Issue.id).where(
            Issue.first_day <= start, Issue.last_day >= end).order_by(Issue.id).first()
    return row["id"] if row else None


async def issued_period(tenant_id: int, issue_id: int) -> Period | None:
    """The period of issue `issue_id`, or None when the tenant has no such issue."""
    async with transaction(tenant_id, write=False):
        row = await scoped(Issue, tenant_id, Issue.period_kind, Issue.first_day, Issue.last_day).where(
            Issue.id == issue_id).first()
    return Period(row["period_kind"], as_date(row["first_day"]), as_date(row["last_day"])) if row else None


async def frozen_figures(tenant_id: int, period: Period, today: date, *, channel_order: tuple[str, ...],
                         category_order: tuple[str, ...]) -> dict[str, Any]:
    """The headline figures of `period`'s analysis report as an issue freezes them (the
    service issue_analysis_report records them)."""
    return headline(await analysis(tenant_id, period, today, channel_order=channel_order,
                                   category_order=category_order))
