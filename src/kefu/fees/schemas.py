"""Input of the fee forms, read through the shared gate (kefu.core.forms): every bad field is
an error in the user's language, and nothing is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kefu import i18n
from kefu.core.forms import Form

MAX_RATE = Decimal("99999.99")
MAX_AMOUNT = Decimal("9999999.99")
NOT_MONTH = i18n.lazy("Enter a month as YYYY-MM.")
UNTIL_BEFORE_FROM = i18n.lazy("The last day comes before the first day.")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True)
class ItemInput:
    code: str
    name: str
    basis: str
    rate: Decimal
    uses: tuple[str, ...]
    valid_from: date
    valid_until: date | None


@dataclass(frozen=True)
class PaymentInput:
    amount: Decimal
    method: str
    paid_on: date
    reference: str


@dataclass(frozen=True)
class ReasonInput:
    category: str
    note: str


def parse_month(text: str) -> date | None:
    """"2026-12" → 2026-12-01; None when it is not a month from 2000 to 2099."""
    found = _MONTH.fullmatch((text or "").strip())
    if not found or not 2000 <= int(found[1]) <= 2099 or not 1 <= int(found[2]) <= 12:
        return None
    return date(int(found[1]), int(found[2]), 1)


def month(form: Form, name: str = "period") -> date | None:
    value = parse_month(form.raw(name))
    if value is None:
        form.error(name, i18n.gettext(NOT_MONTH))
    return value


def item_input(form: Form, bases: tuple[str, ...], uses: tuple[str, ...]) -> ItemInput | None:
    code = form.text("code", max_length=20)
    name = form.text("name", max_length=50)
    basis = form.choice("basis", bases)
    rate = form.money("rate", minimum=Decimal(0), maximum=MAX_RATE)
    picked = form.choices("uses", uses)
    if not picked and "uses" not in form.errors:
        form.error("uses", i18n.gettext("This field is required."))
    valid_from = form.day("valid_from")
    valid_until = form.day("valid_until", required=False)
    if valid_from and valid_until and valid_until < valid_from:
        form.error("valid_until", i18n.gettext(UNTIL_BEFORE_FROM))
    if not form.ok or rate is None or valid_from is None:
        return None
    return ItemInput(code, name, basis, rate, tuple(picked), valid_from, valid_until)


def payment_input(form: Form, methods: tuple[str, ...], outstanding: Decimal, today: date) -> PaymentInput | None:
    amount = form.money("amount", minimum=Decimal("0.01"), maximum=min(outstanding, MAX_AMOUNT))
    method = form.choice("method", methods)
    paid_on = form.day("paid_on")
    if paid_on and paid_on > today:
        form.error("paid_on", i18n.gettext("The date cannot be in the future."))
    reference = form.text("reference", max_length=100, required=False)
    if not form.ok or amount is None or paid_on is None:
        return None
    return PaymentInput(amount, method, paid_on, reference)


def reason_input(form: Form, categories: tuple[str, ...]) -> ReasonInput | None:
    category = form.choice("category", categories)
    note = form.text("note", max_length=1000, required=False, multiline=True)
    return ReasonInput(category, note) if form.ok else None
