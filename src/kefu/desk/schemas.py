"""Input of the desk's forms, read through the shared gate (kefu.core.forms): every bad field
is an error in the user's language, and nothing is written. A unit is typed as the desk writes
it ("3-2-1501", "3栋1501") and found by the service (kefu.units.queries.find_unit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kefu import i18n
from kefu.core import phones
from kefu.core.forms import Form
from kefu.desk import policy

MAX_QUANTITY = 99
MAX_DEPOSIT = Decimal("999999.99")
NOTE_MAX = 1000
TEXT_MAX = 2000
NO_UNIT = i18n.lazy("No single unit has this address. Write it as 3-2-1501 or 3栋1501.")
NOT_PHONE = i18n.lazy("Enter a phone number.")
IN_FUTURE = i18n.lazy("The date cannot be in the future.")


@dataclass(frozen=True)
class OrderInput:
    unit: str
    service: str
    quantity: int
    contact: str
    phone: str
    wanted_on: date | None
    notes: str


@dataclass(frozen=True)
class RenovationInput:
    unit: str
    applicant: str
    phone: str
    contractor: str
    contractor_phone: str
    scope: str
    starts_on: date
    ends_on: date
    deposit: Decimal


@dataclass(frozen=True)
class InspectionInput:
    department: str
    inspected_on: date
    result: str
    note: str


@dataclass(frozen=True)
class EnquiryInput:
    unit: str
    contact: str
    phone: str
    topic: str
    question: str
    answer: str
    assignee: int | None


def phone(form: Form, name: str) -> str:
    text = form.text(name, max_length=30, required=False)
    value = phones.normalise(text) if name not in form.errors else ""
    if value is None or len(value or "") > 20:
        form.error(name, i18n.gettext(NOT_PHONE))
        return ""
    return value or ""


def note(form: Form, name: str = "note", *, required: bool = False, max_length: int = NOTE_MAX) -> str:
    return form.text(name, max_length=max_length, required=required, multiline=True)


def assignee(form: Form, member_ids: list[int], *, required: bool = True) -> int | None:
    value = form.choice("assignee", [str(i) for i in member_ids], required=required)
    return int(value) if value and "assignee" not in form.errors else None


def order_input(form: Form, pack: policy.DeskPack) -> OrderInput | None:
    unit = form.text("unit", max_length=60)
    service = form.choice("service", [s.code for s in pack.services])
    quantity = form.integer("quantity", minimum=1, maximum=MAX_QUANTITY)
    contact = form.text("contact", max_length=50, required=False)
    tel = phone(form, "phone")
    wanted_on = form.day("wanted_on", required=False)
    notes = note(form, "notes")
    if not form.ok or quantity is None:
        return None
    return OrderInput(unit, service, quantity, contact, tel, wanted_on, notes)


def renovation_input(form: Form, pack: policy.DeskPack) -> RenovationInput | None:
    rules = pack.renovation or policy.Renovation()
    unit = form.text("unit", max_length=60)
    applicant = form.text("applicant", max_length=50)
    tel = phone(form, "phone")
    contractor = form.text("contractor", max_length=100)
    contractor_phone = phone(form, "contractor_phone")
    scope = form.text("scope", max_length=TEXT_MAX, required=False, multiline=True)
    starts_on = form.day("starts_on")
    ends_on = form.day("ends_on")
    if starts_on and ends_on:
        problem = policy.period_problem(starts_on, ends_on, rules.max_days)
        if problem:
            form.error("ends_on", i18n.gettext(problem, max=rules.max_days))
    deposit = form.money("deposit", minimum=Decimal(0), maximum=MAX_DEPOSIT)
    if not form.ok or starts_on is None or ends_on is None or deposit is None:
        return None
    return RenovationInput(unit, applicant, tel, contractor, contractor_phone, scope, starts_on, ends_on, deposit)


def inspection_input(form: Form, pack: policy.DeskPack, today: date) -> InspectionInput | None:
    department = form.choice("department", [d.code for d in pack.departments()])
    inspected_on = form.day("inspected_on")
    if inspected_on and inspected_on > today:
        form.error("inspected_on", i18n.gettext(IN_FUTURE))
    result = form.choice("result", policy.RESULTS)
    text = note(form, required=result == policy.FAIL)
    if not form.ok or inspected_on is None:
        return None
    return InspectionInput(department, inspected_on, result, text)


def enquiry_input(form: Form, pack: policy.DeskPack, member_ids: list[int]) -> EnquiryInput | None:
    unit = form.text("unit", max_length=60, required=False)
    contact = form.text("contact", max_length=50, required=False)
    tel = phone(form, "phone")
    topic = form.choice("topic", [t.code for t in pack.topics])
    question = form.text("question", max_length=TEXT_MAX, multiline=True)
    answer = form.text("answer", max_length=TEXT_MAX, required=False, multiline=True)
    who = assignee(form, member_ids, required=False)
    if not form.ok:
        return None
    return EnquiryInput(unit, contact, tel, topic, question, answer, who)


NAME_NEEDED = i18n.lazy("Enter your name.")
PHONE_NEEDED = i18n.lazy("Enter a mobile phone number the staff can call.")
NOT_PAST = i18n.lazy("Choose today or a later day.")


def public_order_input(form: Form, pack: policy.DeskPack, today: date) -> OrderInput | None:
    """A resident's order from the public price list: as the desk's, but the resident's name and
    phone are required (the staff call back before they come) and the wanted day is not past."""
    data = order_input(form, pack)
    if "contact" not in form.errors and not form.data.get("contact", "").strip():
        form.error("contact", i18n.gettext(NAME_NEEDED))
    if "phone" not in form.errors and not form.data.get("phone", "").strip():
        form.error("phone", i18n.gettext(PHONE_NEEDED))
    if data is not None and data.wanted_on is not None and data.wanted_on < today:
        form.error("wanted_on", i18n.gettext(NOT_PAST))
    return data if form.ok else None
