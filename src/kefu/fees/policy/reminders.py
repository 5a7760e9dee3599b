"""C.j 催缴: which reminder a unit is owed today. Step 1 comes `first_after` days after its
oldest unpaid bill fell due, step n `every` days after step n-1; the outbox's unique key
(unit, that due day, step) makes each step one notice however often the sweep runs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from kefu.fees.policy.pack import Reminders


def schedule(pack: Reminders | None, settings: Mapping[str, Any] | str | None) -> Reminders | None:
    """The tenant's schedule: its settings' `fee_reminders` over the pack's; None: no reminders.
    A setting that is not a pair of sane whole numbers is ignored (the pack's stands)."""
    if pack is None:
        return None
    if isinstance(settings, str):  # the tenant row's JSON column as read
        settings = json.loads(settings or "{}")
    own = (settings or {}).get("fee_reminders") if isinstance(settings, Mapping) else None
    if not isinstance(own, Mapping):
        return pack
    first, every = own.get("first_after_days"), own.get("every_days")
    if isinstance(first, int) and isinstance(every, int) and 0 <= first <= 365 and 1 <= every <= 365:
        return Reminders(first_after_days=first, every_days=every)
    return pack


def step_due(oldest_due: date, today: date, rules: Reminders) -> int | None:
    """The latest reminder step whose day has come, or None before the first."""
    first = oldest_due + timedelta(days=rules.first_after_days)
    if today < first:
        return None
    return 1 + (today - first).days // rules.every_days


def reminder_key(unit_id: int, oldest_due: date, step: int) -> str:
    return f"fee_reminder:{unit_id}:{oldest_due.isoformat()}:{step}"
