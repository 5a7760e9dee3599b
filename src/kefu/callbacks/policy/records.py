"""Records (art. 25): a draft is edited by its writer; a submitted record is locked, and only
an addendum (audited) corrects it. Pure."""

from __future__ import annotations

from datetime import date

from kefu.core.errors import Refused


def edit_refusal(status: str) -> Refused | None:
    if status != "draft":
        return Refused("record_locked", "This record is submitted and locked; add a correction instead.")
    return None


def amend_refusal(status: str) -> Refused | None:
    if status != "submitted":
        return Refused("record_not_submitted", "Only a submitted record takes corrections; edit the draft.")
    return None


def retain_until(callback_on: date, years: int) -> date:
    """The last day a record is kept: `years` after the callback (29 February -> 28th)."""
    try:
        return callback_on.replace(year=callback_on.year + years)
    except ValueError:
        return callback_on.replace(year=callback_on.year + years, day=28)
