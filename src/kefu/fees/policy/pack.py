"""The fees part of a tenant's pack: tenants/<kind>/fees.toml (default fee items, payment
methods, the due day, reasons for late or refused payment). A kind without the file keeps no
fees. The one part of policy/ that reads a file, once, cached.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import msgspec

from kefu.core.labels import Labels
from kefu.core.packs import PackError, check_unique_codes, read_struct
from kefu.settings import get_settings

FILENAME = "fees.toml"
BASES = ("area", "space", "fixed")


class Choice(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    label: str
    label_en: str


class DefaultItem(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    name: str
    name_en: str
    basis: str
    rate: str
    uses: tuple[str, ...] = ()


class Reminders(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    first_after_days: int = 15
    every_days: int = 30


class FeesPack(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    due_day: int = 15
    items: tuple[DefaultItem, ...] = ()
    methods: tuple[Choice, ...] = ()
    reasons: tuple[Choice, ...] = ()
    reminders: Reminders | None = None

    def codes(self, key: str) -> tuple[str, ...]:
        return tuple(c.code for c in getattr(self, key))

    def labels(self, key: str) -> Labels:
        """The words for the codes of `methods` or `reasons`, in the user's language."""
        return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in getattr(self, key)})


def _check(pack: FeesPack, where: Path) -> FeesPack:
    if not 1 <= pack.due_day <= 28:
        raise PackError(f"{where}: $.due_day: a day from 1 to 28")
    r = pack.reminders
    if r is not None and not (0 <= r.first_after_days <= 365 and 1 <= r.every_days <= 365):
        raise PackError(f"{where}: $.reminders: days from 0 (first) or 1 (every) to 365")
    for i, item in enumerate(pack.items):
        if item.basis not in BASES:
            raise PackError(f"{where}: $.items[{i}].basis: one of {', '.join(BASES)}")
        try:
            if Decimal(item.rate) < 0:
                raise InvalidOperation
        except InvalidOperation:
            raise PackError(f"{where}: $.items[{i}].rate: a non-negative amount") from None
    check_unique_codes(pack, ("items", "methods", "reasons"), where)
    return pack


@cache
def _load(path: Path) -> FeesPack:
    """The kind's file, or an empty pack where the kind has none."""
    return _check(read_struct(path, FeesPack, default=FeesPack()), path)


def fees_pack(kind: str) -> FeesPack:
    return _load(get_settings().tenants_dir / kind / FILENAME)
