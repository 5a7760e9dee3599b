"""The desk part of a tenant's pack: tenants/<kind>/desk.toml (paid services and prices,
renovation deposit and departments, enquiry topics). A kind without the file has none of it.
The one part of policy/ that reads a file, once, cached."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import msgspec

from kefu.core.labels import Labels
from kefu.core.packs import PackError, check_unique_codes, read_struct
from kefu.settings import get_settings

FILENAME = "desk.toml"


class Choice(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    label: str
    label_en: str


class Service(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    name: str
    name_en: str
    price: str
    per: str = "次"
    per_en: str = "job"

    @property
    def amount(self) -> Decimal:
        return Decimal(self.price)


class Renovation(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    deposit: str = "0"
    max_days: int = 180
    departments: tuple[Choice, ...] = ()


class DeskPack(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    services: tuple[Service, ...] = ()
    renovation: Renovation | None = None
    topics: tuple[Choice, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.services or self.renovation or self.topics)

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)

    def service_labels(self) -> Labels:
        return Labels({s.code: {"zh_CN": s.name, "en": s.name_en} for s in self.services})

    def per_labels(self) -> Labels:
        return Labels({s.code: {"zh_CN": s.per, "en": s.per_en} for s in self.services})

    def topic_labels(self) -> Labels:
        return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in self.topics})

    def departments(self) -> tuple[Choice, ...]:
        return self.renovation.departments if self.renovation else ()

    def department_labels(self) -> Labels:
        return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in self.departments()})


def _amount(text: str, where: str) -> None:
    try:
        if Decimal(text) < 0 or Decimal(text) != Decimal(text).quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        raise PackError(f"{where}: a non-negative amount with at most two decimals") from None


def _check(pack: DeskPack, where: Path) -> DeskPack:
    for i, s in enumerate(pack.services):
        _amount(s.price, f"{where}: $.services[{i}].price")
        if not s.code or len(s.code) > 16:
            raise PackError(f"{where}: $.services[{i}].code: 1 to 16 characters")
    if pack.renovation is not None:
        _amount(pack.renovation.deposit, f"{where}: $.renovation.deposit")
        if not 1 <= pack.renovation.max_days <= 730:
            raise PackError(f"{where}: $.renovation.max_days: from 1 to 730")
        check_unique_codes(pack.renovation, ("departments",), where)
    check_unique_codes(pack, ("services", "topics"), where)
    return pack


@cache
def _load(path: Path) -> DeskPack:
    return _check(read_struct(path, DeskPack, default=DeskPack()), path)


def desk_pack(kind: str) -> DeskPack:
    return _load(get_settings().tenants_dir / kind / FILENAME)
