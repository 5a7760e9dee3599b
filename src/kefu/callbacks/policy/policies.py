"""New-policy callbacks (新契约回访, A art. 24(1)) and the deadline watch of every callback task.
Pure: the last day of a product's cooling-off period, a new policy's fields checked, the
questions its callback asks, and which stage of the watch a task has reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kefu import i18n
from kefu.callbacks.policy.pack import CallbackPack, Product
from kefu.core.workdays import WorkCalendar

MAX_POLICY_NO = 40
MAX_NAME = 100
MAX_PHONE = 30
# A policy received longer ago than this is refused: its cooling-off period is long over.
MAX_AGE_DAYS = 60


@dataclass(frozen=True)
class NewPolicy:
    """One policy to call back, as read from an upload row or the API."""

    policy_no: str
    product: str
    holder_name: str
    holder_phone: str
    received_on: date
    customer_id: int | None = None


def cooling_off_end(product: Product, received_on: date, calendar: WorkCalendar, holiday_rule: bool) -> date:
    """The last day of the product's cooling-off period: `cooling_off_days` natural days after
    the receipt (its day not counted, 民法典 art. 201); with `holiday_rule` a last day that is a
    statutory holiday or rest day moves to the next working day (art. 203)."""
    return calendar.add_natural_days(received_on, product.cooling_off_days, holiday_ending_rule=holiday_rule).date


def questions(pack: CallbackPack, product_code: str) -> list[dict[str, str]]:
    """The checklist of a product as a campaign's questions ([{code, text, text_en}]), in the
    product's order; none for an unknown product."""
    product = pack.products.get(product_code)
    if product is None:
        return []
    return [{"code": code, "text": pack.checks[code].text, "text_en": pack.checks[code].text_en}
            for code in product.checks]


def unique_key(policy_no: str) -> str:
    """One task per policy number in a tenant, however often it is uploaded or sent."""
    return f"policy:{policy_no}"


def check_policy(pack: CallbackPack, raw: dict[str, Any], today: date) -> tuple[NewPolicy | None, dict[str, str]]:
    """A policy's fields from text values (policy_no, product, holder_name, holder_phone,
    received_on) checked; (the policy, {}) or (None, {field: msgid}). The product is a
    pack product's code or its name in either language; the receipt day is no later than today
    and at most MAX_AGE_DAYS ago."""
    errors: dict[str, str] = {}
    text = {k: str(raw.get(k) or "").strip() for k in ("policy_no", "product", "holder_name", "holder_phone",
                                                         "received_on")}
    if not text["policy_no"]:
        errors["policy_no"] = i18n.lazy("This field is required.")
    elif len(text["policy_no"]) > MAX_POLICY_NO or not all(c.isascii() and (c.isalnum() or c in "-_/") for c in text["policy_no"]):
        errors["policy_no"] = i18n.lazy("Enter a valid value.")
    product = product_of(pack, text["product"])
    if product is None:
        errors["product"] = i18n.lazy("Choose one of the listed values.")
    if not text["holder_name"]:
        errors["holder_name"] = i18n.lazy("This field is required.")
    elif len(text["holder_name"]) > MAX_NAME or any(ord(c) < 32 for c in text["holder_name"]):
        errors["holder_name"] = i18n.lazy("Enter a valid value.")
    phone = "".join(c for c in text["holder_phone"] if c not in " -")
    if not phone:
        errors["holder_phone"] = i18n.lazy("This field is required.")
    elif len(phone) > MAX_PHONE or not phone.isascii() or not phone.lstrip("+").isdigit() or len(phone.lstrip("+")) < 5:
        errors["holder_phone"] = i18n.lazy("Enter a valid phone number.")
    received = _day(text["received_on"])
    if received is None:
        errors["received_on"] = i18n.lazy("Enter a date as YYYY-MM-DD.")
    elif received > today or received < today - timedelta(days=MAX_AGE_DAYS):
        errors["received_on"] = i18n.lazy("The contract must have been received in the last 60 days.")
    if errors:
        return None, errors
    assert product is not None and received is not None
    return NewPolicy(policy_no=text["policy_no"], product=product.code, holder_name=text["holder_name"],
                     holder_phone=phone, received_on=received), {}


def product_of(pack: CallbackPack, text: str) -> Product | None:
    text = text.strip()
    for product in pack.products.values():
        if text in (product.code, product.name) or text.casefold() == product.name_en.casefold():
            return product
    return None


def _day(text: str) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if " " in text:  # an Excel date read with its time
        text = text.split(" ", 1)[0]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# The deadline watch (every callback task).

REMIND, ESCALATE = "reminder", "escalation"


def watch_stage(due_on: date, today: date, pack: CallbackPack, *, reminded: bool, escalated: bool) -> str:
    """What the watch owes an open task today: "escalation" from `escalate_days_before` days
    before the due day (once), "reminder" from `remind_days_before` days before (once, and not
    after an escalation), else ""."""
    if escalated:
        return ""
    if today >= due_on - timedelta(days=pack.escalate_days_before):
        return ESCALATE
    if not reminded and today >= due_on - timedelta(days=pack.remind_days_before):
        return REMIND
    return ""


def horizon(today: date, pack: CallbackPack) -> date:
    """The latest due day a task can have and still be owed something today."""
    return today + timedelta(days=max(pack.remind_days_before, pack.escalate_days_before))
