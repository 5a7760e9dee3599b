"""Platform jobs. Module jobs live in their module's jobs.py and are imported by load_jobs()."""

from __future__ import annotations

from kefu.core import clock
from kefu.workers.registry import job
from kefu.workers.tables import Heartbeat


@job(queue="default")
async def heartbeat(source: str) -> None:
    """Proves scheduler → broker → worker → database; running it twice is harmless."""
    now = clock.now()
    await Heartbeat.insert(Heartbeat(source=source[:40], beat_at=now)).on_conflict(
        target=Heartbeat.source, action="DO UPDATE", values=[(Heartbeat.beat_at, now)]
    )
