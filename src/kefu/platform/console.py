"""The platform console's health page (/admin/health): the database, Redis and the workers, the
scheduler's heartbeats, each Dramatiq queue's numbers, and every tenant with its state and its
outbox's notices by state. Counts only: no tenant's content is shown here."""

from __future__ import annotations

from litestar import Request, Response, get

from kefu.core import clock
from kefu.core.superuser import require_superuser
from kefu.core.web import render
from kefu.notifications.queries import OutboxCounts, outbox_counts, state_label
from kefu.platform.health import check_health
from kefu.tenancy import queries as tenancy
from kefu.workers import queries as workers

OUTBOX_STATES = ("pending", "failed", "waiting", "dead", "ready", "sent")


@get("/admin/health", name="admin.health")
async def health(request: Request) -> Response:
    require_superuser(request)
    tenants = await tenancy.all_tenants()
    outbox: dict[int, OutboxCounts] = {}
    for tenant in tenants:  # one short read transaction each: row-level security needs the tenant
        outbox[tenant["id"]] = await outbox_counts(tenant["id"])
    totals = {s: sum(c.by_state.get(s, 0) for c in outbox.values()) for s in OUTBOX_STATES}
    oldest = min((c.oldest_open_at for c in outbox.values() if c.oldest_open_at), default=None)
    context = {
        "health": await check_health(), "beats": await workers.heartbeats(),
        "queues": await workers.queue_stats(), "tenants": tenants, "outbox": outbox, "totals": totals,
        "oldest_open_at": oldest, "states": [(s, state_label(s)) for s in OUTBOX_STATES], "now": clock.now(),
    }
    return render(request, "platform/health.html", context)


routes = [health]
