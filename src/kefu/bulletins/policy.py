"""Bulletin rules, no I/O but the pack file: tenants/<kind>/bulletins.toml (the categories),
which states allow which change, when a bulletin is shown and when an event takes sign-ups."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from kefu.core.labels import Labels
from kefu.core.packs import check_unique_codes, read_struct
from kefu.settings import get_settings

FILENAME = "bulletins.toml"
KINDS = ("notice", "event")
STATES = ("draft", "published", "withdrawn")
MAX_PEOPLE = 10  # one sign-up brings at most this many people


class Category(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    label: str
    label_en: str


class BulletinsPack(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    categories: tuple[Category, ...] = ()

    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)

    def labels(self) -> Labels:
        return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in self.categories})


@cache
def _load(path: Path) -> BulletinsPack:
    pack = read_struct(path, BulletinsPack, default=BulletinsPack())
    check_unique_codes(pack, ("categories",), path)
    return pack


def bulletins_pack(kind: str) -> BulletinsPack:
    """The kind's categories; a kind without the file keeps no bulletins (an empty pack)."""
    return _load(get_settings().tenants_dir / kind / FILENAME)


def actions(state: str) -> frozenset[str]:
    """What staff may do to a bulletin in `state`: a published one may still be corrected (the
    public page then says when it was updated)."""
    return {"draft": frozenset({"edit", "publish"}),
            "published": frozenset({"edit", "withdraw"})}.get(state, frozenset())


def is_shown(state: str, shown_from: date, shown_until: date | None, today: date) -> bool:
    """On the public page today: published, and today within its days."""
    return state == "published" and shown_from <= today and (shown_until is None or today <= shown_until)


def signup_open(kind: str, state: str, capacity: int | None, starts_at: datetime | None, now: datetime) -> bool:
    """An event takes sign-ups while published, before it starts, if it has places at all."""
    return (kind == "event" and state == "published" and capacity is not None
            and (starts_at is None or now < starts_at))


def places_left(capacity: int | None, signed_up: int) -> int:
    return max((capacity or 0) - signed_up, 0)


def revision_problems(kind: str, signed_up: int, new_kind: str, new_capacity: int | None) -> dict[str, int]:
    """What a published bulletin's edit may not change: its kind, and an event's places below
    those already taken. {field: the places taken} for each such field (empty: fine)."""
    problems: dict[str, int] = {}
    if new_kind != kind:
        problems["kind"] = signed_up
    if signed_up and (new_capacity is None or new_capacity < signed_up):
        problems["capacity"] = signed_up
    return problems


def notice_channels(residents: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(channel, resident) for a bulletin's notices: a text message to each phone (once per
    phone), else an email to each address (once per address); a unit none of whose residents
    has either gets one printed letter, addressed to its first resident."""
    phones: set[str] = set()
    emails: set[str] = set()
    reached: set[object] = set()
    found: list[tuple[str, dict[str, Any]]] = []
    for r in residents:
        if r.get("phone"):
            reached.add(r["unit"])
            if r["phone"] not in phones:
                phones.add(r["phone"])
                found.append(("sms", r))
        elif r.get("email"):
            reached.add(r["unit"])
            if r["email"].lower() not in emails:
                emails.add(r["email"].lower())
                found.append(("email", r))
    lettered: set[object] = set()
    for r in residents:
        if r["unit"] not in reached and r["unit"] not in lettered:
            lettered.add(r["unit"])
            found.append(("letter", r))
    return found


def building_ids(text: str) -> list[int]:
    return [int(b) for b in text.split(",") if b.isascii() and b.isdigit()]
