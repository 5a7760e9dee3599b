"""Bulletin input: the staff form (a notice or an event) and the public sign-up form, read
through the shared form gate (kefu.core.forms), every bad field named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kefu import i18n
from kefu.bulletins import policy
from kefu.core import phones
from kefu.core.forms import Form

LIMITS = {"title": 100, "body": 5_000, "place": 100, "name": 50, "unit": 30}
MAX_CAPACITY = 10_000
MAX_DAYS = 366  # a bulletin is shown at most a year
FORM_FIELDS = ("kind", "category", "title", "body", "buildings", "shown_from", "shown_until", "starts_at",
               "place", "capacity")
_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")  # <input type="datetime-local">

UNTIL_BEFORE_FROM = i18n.lazy("The last day comes before the first day.")
TOO_LONG_SHOWN = i18n.lazy("A bulletin is shown for at most a year.")
NOT_DATETIME = i18n.lazy("Enter a date and time.")
EVENT_ONLY = i18n.lazy("Only an event has a start, a place and places to sign up for.")


@dataclass(frozen=True)
class BulletinInput:
    kind: str
    category: str
    title: str
    body: str
    buildings: tuple[int, ...]
    shown_from: date
    shown_until: date | None
    starts_at: datetime | None
    place: str
    capacity: int | None


@dataclass(frozen=True)
class SignupInput:
    name: str
    phone: str
    unit: str
    people: int


def _starts_at(form: Form, tz: str) -> datetime | None:
    text = form.raw("starts_at").strip()
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text) if _LOCAL.match(text) else None
    except ValueError:
        local = None
    if local is None:
        form.error("starts_at", i18n.gettext(NOT_DATETIME))
        return None
    return local.replace(tzinfo=ZoneInfo(tz))


def bulletin_input(form: Form, categories: tuple[str, ...], buildings: dict[int, str], tz: str) -> BulletinInput | None:
    """The form's bulletin, or None with every bad field in form.errors. `buildings`: the
    tenant's buildings (id -> name), the only ones a bulletin may name."""
    kind = form.choice("kind", policy.KINDS)
    category = form.choice("category", categories)
    title = form.text("title", max_length=LIMITS["title"])
    body = form.text("body", max_length=LIMITS["body"], multiline=True)
    picked = form.choices("buildings", [str(b) for b in buildings])
    shown_from = form.day("shown_from")
    shown_until = form.day("shown_until", required=False)
    if shown_from and shown_until:
        if shown_until < shown_from:
            form.error("shown_until", i18n.gettext(UNTIL_BEFORE_FROM))
        elif shown_until - shown_from > timedelta(days=MAX_DAYS):
            form.error("shown_until", i18n.gettext(TOO_LONG_SHOWN))
    starts_at = _starts_at(form, tz)
    place = form.text("place", max_length=LIMITS["place"], required=False)
    capacity = form.integer("capacity", minimum=1, maximum=MAX_CAPACITY, required=False)
    if kind == "event" and starts_at is None and "starts_at" not in form.errors:
        form.error("starts_at", i18n.gettext(NOT_DATETIME))
    if kind == "notice":
        for name, value in (("starts_at", starts_at), ("place", place), ("capacity", capacity)):
            if value and name not in form.errors:
                form.error(name, i18n.gettext(EVENT_ONLY))
    if not form.ok or shown_from is None:
        return None
    return BulletinInput(kind, category, title, body, tuple(sorted(int(b) for b in picked)), shown_from, shown_until,
                         starts_at, place, capacity)


def signup_input(form: Form) -> SignupInput | None:
    name = form.text("name", max_length=LIMITS["name"])
    raw_phone = form.text("phone", max_length=30)
    phone = phones.normalise(raw_phone) if raw_phone else None
    if raw_phone and phone is None and "phone" not in form.errors:
        form.error("phone", i18n.gettext("Enter a valid phone number."))
    unit = form.text("unit", max_length=LIMITS["unit"], required=False)
    people = form.integer("people", minimum=1, maximum=policy.MAX_PEOPLE)
    if not form.ok or phone is None or people is None:
        return None
    return SignupInput(name, phone, unit, people)
