"""Payments: when a bill takes one, and how a receipt number is written."""

from __future__ import annotations

from decimal import Decimal

from kefu import i18n
from kefu.core.errors import Refused

SETTLED = i18n.lazy("This bill is paid in full.")


def refuse_payment(amount: Decimal, paid: Decimal) -> Refused | None:
    """Why a bill takes no payment now (settled), else None."""
    if paid >= amount:
        return Refused("settled", SETTLED)
    return None


def receipt_number(year: int, value: int) -> str:
    """收据号: the year and a per-tenant counter, "SJ2026-000042"."""
    return f"SJ{year}-{value:06d}"
