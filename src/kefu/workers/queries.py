"""What other modules may ask of the workers: whether the in-process worker runs (health)."""

from __future__ import annotations

from kefu.workers.embedded import embedded_worker


def embedded_worker_alive() -> bool:
    """Embedded mode: the web process's Dramatiq worker is running."""
    worker = embedded_worker()
    return worker is not None and worker.alive
