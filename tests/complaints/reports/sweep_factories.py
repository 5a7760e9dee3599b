"""Objects for the isolation sweep and the fuzz test (tests/isolation/test_sweep.py):
ID_FACTORIES has the sweep's shape ({path parameter: async (tenant, marker=…) -> id}) for the
route parameter `issued_id` (an analysis report issued to management, the marker its note)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from kefu.complaints.tables import ComplaintReportIssue
from kefu.db import transaction

_DAYS = itertools.count()  # each call its own period: one issue per tenant and period


async def _issued_id(tenant, marker: str = "") -> int:
    day = date(2020, 1, 1) + timedelta(days=next(_DAYS))
    row = ComplaintReportIssue(tenant=tenant.id, period_kind="custom", period_key=f"{day}~{day}", first_day=day,
                               last_day=day, note=marker[:500], figures={"received": 0, "note": marker})
    async with transaction(tenant.id):
        await row.save()
    return row.id


ID_FACTORIES = {"issued_id": _issued_id}
