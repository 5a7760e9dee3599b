"""Assignments of people to positions (pure): roles, dates, overlap."""

from __future__ import annotations

from datetime import date

from kefu.core.errors import FieldError

ROLES = ("holder", "acting", "deputy")


def check_assignment(position: str, positions: set[str], role: str, starts_on: date, ends_on: date | None) -> None:
    if position not in positions:
        raise FieldError("position", "Choose one of the listed values.")
    if role not in ROLES:
        raise FieldError("role", "Choose one of the listed values.")
    if ends_on is not None and ends_on < starts_on:
        raise FieldError("ends_on", "The end date cannot be before the start date.")


def running(starts_on: date, ends_on: date | None, day: date) -> bool:
    """`ends_on` is the day it ends: from that day on it grants nothing."""
    return starts_on <= day and (ends_on is None or day < ends_on)
