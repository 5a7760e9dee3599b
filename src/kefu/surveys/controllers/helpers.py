"""What the surveys pages share: the words for codes (kefu.surveys.labels) under the names the
templates use, and the percentage format of the live counts."""

from __future__ import annotations

from typing import Any

from kefu.customers import queries as customers
from kefu.surveys import labels
from kefu.surveys.policy.rounds import closes_on

# The registry's own words for its kinds of customer.
KIND = customers.kind_labels()


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def helpers() -> dict[str, Any]:
    return {
        "status_label": labels.ROUND_STATUS, "state_label": labels.INVITATION_STATE,
        "channel_label": labels.CHANNEL, "audience_label": labels.AUDIENCE,
        "kind_label": KIND, "audience_kinds": list(labels.AUDIENCE), "pct": pct,
        "closes_on": closes_on,
    }
