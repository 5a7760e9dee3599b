"""The callbacks sweep, enqueued every minute (jobs.sweep_callbacks). Per active tenant, each
step in its own transaction and idempotent: draft campaigns whose day has come open (a
conditional UPDATE claims each once), and closed complaints get their follow-up task (a unique
key makes each once)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kefu.callbacks.services.campaigns import open_due_campaigns
from kefu.callbacks.services.followups import create_complaint_followups
from kefu.callbacks.services.online import sweep_online
from kefu.core import clock
from kefu.core.tenancy import TenantRow
from kefu.tenancy.queries import active_tenants

log = logging.getLogger("kefu.callbacks")


@dataclass
class SweepResult:
    campaign_tasks: int = 0
    followups: int = 0
    online: int = 0


async def sweep_tenant(tenant: TenantRow) -> SweepResult:
    today = clock.today_in(tenant.timezone)
    return SweepResult(
        campaign_tasks=await open_due_campaigns(tenant.id, tenant.kind, today),
        followups=await create_complaint_followups(tenant.id, tenant.kind, today),
        online=await sweep_online(tenant),
    )


async def sweep_all() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    for tenant in await active_tenants():
        try:
            await sweep_tenant(tenant)
        except Exception:
            log.exception("callbacks sweep failed for tenant %s", tenant.id)
