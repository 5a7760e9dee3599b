"""tenants/<kind>/callbacks.toml: kinds, methods with the position owning each, the default
fallback order, the failed-attempt limit, calling hours, the complaint follow-up delay, the
record retention period, the deadline watch (when a reminder goes, when it escalates, to whom)
and, for an insurer, the products of new-policy callbacks with their cooling-off periods and
checklists, validated into msgspec Structs. An error names the file and the key."""

from __future__ import annotations

from datetime import time
from functools import cache
from pathlib import Path

import msgspec

from kefu.core.packs import PackError, load_pack, read_toml
from kefu.settings import get_settings

FILENAME = "callbacks.toml"
METHODS = ("phone", "onsite", "online")  # art. 23(1); code reads the pack for who owns each


class Kind(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    name: str
    name_en: str
    source: str = ""


class Method(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    position: str
    source: str = ""


class Check(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One point a new-policy callback confirms; `cause` names the problem cause (the quality
    pack's) a "no" answer is."""

    code: str
    text: str
    text_en: str
    cause: str = ""


class Product(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A product type of new-policy callbacks: its cooling-off period (犹豫期) in natural days
    from the receipt of the contract, and the checks its callback confirms."""

    code: str
    name: str
    name_en: str
    cooling_off_days: int
    checks: tuple[str, ...]
    investment: bool = False


class CallbacksFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    kinds: tuple[Kind, ...]
    methods: tuple[Method, ...]
    default_methods: tuple[str, ...]
    complaint_followup_kind: str
    attempt_limit: int = 3
    due_days: int = 10
    complaint_followup_delay_days: int = 3
    retention_years: int = 5
    calling_start: str = "09:00"
    calling_end: str = "20:00"
    calling_days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    remind_days_before: int = 2
    escalate_days_before: int = 0
    escalate_positions: tuple[str, ...] = ()
    new_policy_kind: str = ""
    cooling_off_holiday_rule: bool = True
    checks: tuple[Check, ...] = ()
    products: tuple[Product, ...] = ()


class CallbackPack(msgspec.Struct, frozen=True):
    kinds: dict[str, Kind]
    methods: dict[str, Method]
    default_methods: tuple[str, ...]
    complaint_followup_kind: str
    attempt_limit: int
    due_days: int
    complaint_followup_delay_days: int
    retention_years: int
    calling_start: time
    calling_end: time
    calling_days: tuple[int, ...]
    remind_days_before: int = 2
    escalate_days_before: int = 0
    escalate_positions: tuple[str, ...] = ()
    new_policy_kind: str = ""
    cooling_off_holiday_rule: bool = True
    checks: dict[str, Check] = {}
    products: dict[str, Product] = {}

    def position_of(self, method: str) -> str:
        return self.methods[method].position


def _clock(where: str, key: str, text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise PackError(f"{where}: $.{key}: {text!r} is not HH:MM") from None


def _check_methods(where: str, file: CallbacksFile, positions: set[str]) -> None:
    for i, m in enumerate(file.methods):
        if m.code not in METHODS:
            raise PackError(f"{where}: $.methods[{i}].code: {m.code!r} is not one of {', '.join(METHODS)}")
        if m.position not in positions:
            raise PackError(f"{where}: $.methods[{i}].position: {m.position!r} is not a position of positions.toml")
    codes = [m.code for m in file.methods]
    if len(set(codes)) != len(codes):
        raise PackError(f"{where}: $.methods: a method is listed twice")
    if not file.default_methods or any(m not in codes for m in file.default_methods) \
            or len(set(file.default_methods)) != len(file.default_methods):
        raise PackError(f"{where}: $.default_methods: each a method of [[methods]], once")


def _check_watch(where: str, file: CallbacksFile, positions: set[str]) -> None:
    if not -30 <= file.escalate_days_before <= file.remind_days_before <= 60:
        raise PackError(f"{where}: $.escalate_days_before: between -30 and remind_days_before (at most 60)")
    if any(p not in positions for p in file.escalate_positions):
        raise PackError(f"{where}: $.escalate_positions: positions of positions.toml")


def _check_products(where: str, file: CallbacksFile, kinds: list[str]) -> None:
    if not file.products:
        if file.checks or file.new_policy_kind:
            raise PackError(f"{where}: $.products: new-policy callbacks need at least one product")
        return
    if file.new_policy_kind not in kinds:
        raise PackError(f"{where}: $.new_policy_kind: a kind of [[kinds]]")
    checks = [c.code for c in file.checks]
    if not checks or len(set(checks)) != len(checks):
        raise PackError(f"{where}: $.checks: at least one, each code once")
    codes = [p.code for p in file.products]
    if len(set(codes)) != len(codes):
        raise PackError(f"{where}: $.products: each code once")
    for i, product in enumerate(file.products):
        if not 1 <= product.cooling_off_days <= 60:
            raise PackError(f"{where}: $.products[{i}].cooling_off_days: between 1 and 60")
        if not product.checks or any(c not in checks for c in product.checks):
            raise PackError(f"{where}: $.products[{i}].checks: codes of [[checks]]")


def parse_callbacks(raw: object, where: str, positions: set[str]) -> CallbackPack:
    try:
        file = msgspec.convert(raw, CallbacksFile)
    except msgspec.ValidationError as exc:
        raise PackError(f"{where}: {exc}") from None
    _check_methods(where, file, positions)
    kinds = [k.code for k in file.kinds]
    if not kinds or len(set(kinds)) != len(kinds):
        raise PackError(f"{where}: $.kinds: at least one, each code once")
    if file.complaint_followup_kind not in kinds:
        raise PackError(f"{where}: $.complaint_followup_kind: not a kind of [[kinds]]")
    _check_watch(where, file, positions)
    _check_products(where, file, kinds)
    for key, value, low, high in (("attempt_limit", file.attempt_limit, 1, 20), ("due_days", file.due_days, 1, 365),
                                  ("complaint_followup_delay_days", file.complaint_followup_delay_days, 0, 90),
                                  ("retention_years", file.retention_years, 1, 30)):
        if not low <= value <= high:
            raise PackError(f"{where}: $.{key}: between {low} and {high}")
    start, end = _clock(where, "calling_start", file.calling_start), _clock(where, "calling_end", file.calling_end)
    if start >= end:
        raise PackError(f"{where}: $.calling_end: after calling_start")
    if not file.calling_days or any(not 1 <= d <= 7 for d in file.calling_days):
        raise PackError(f"{where}: $.calling_days: ISO weekdays 1 to 7")
    return CallbackPack(
        kinds={k.code: k for k in file.kinds}, methods={m.code: m for m in file.methods},
        default_methods=file.default_methods, complaint_followup_kind=file.complaint_followup_kind,
        attempt_limit=file.attempt_limit, due_days=file.due_days,
        complaint_followup_delay_days=file.complaint_followup_delay_days, retention_years=file.retention_years,
        calling_start=start, calling_end=end, calling_days=tuple(sorted(set(file.calling_days))),
        remind_days_before=file.remind_days_before, escalate_days_before=file.escalate_days_before,
        escalate_positions=file.escalate_positions, new_policy_kind=file.new_policy_kind,
        cooling_off_holiday_rule=file.cooling_off_holiday_rule,
        checks={c.code: c for c in file.checks}, products={p.code: p for p in file.products},
    )


def load_callbacks(directory: Path) -> CallbackPack:
    path = directory / FILENAME
    raw = read_toml(path)
    assert raw is not None  # a required file: a missing one raised PackError
    return parse_callbacks(raw, str(path), set(load_pack(directory).positions))


@cache
def _cached(directory: Path) -> CallbackPack:
    return load_callbacks(directory)


def callbacks_for(kind: str) -> CallbackPack:
    """The callback pack of tenants/<kind>/ (read once per process)."""
    return _cached(get_settings().tenants_dir / kind)
