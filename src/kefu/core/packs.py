"""Tenant packs: TOML under tenants/<kind>/, validated into msgspec Structs on load.

A pack is data — positions, permissions, navigation, settings defaults. Code reads the pack;
it never branches on the kind's name. A broken pack fails loudly with the file and key.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import TypeVar

import msgspec

from kefu.settings import get_settings

ADMIN_POSITION = "admin"


class PackError(ValueError):
    pass


class Permission(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    label: str
    label_en: str


class Position(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    name: str
    name_en: str
    permissions: list[str]


class NavItem(msgspec.Struct, forbid_unknown_fields=True):
    label: str  # a msgid, translated at render time
    route: str
    permission: str = ""


class PackSettings(msgspec.Struct, forbid_unknown_fields=True):
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_CN"


class PackFile(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    label: str
    label_en: str
    settings: PackSettings = msgspec.field(default_factory=PackSettings)
    nav: list[NavItem] = msgspec.field(default_factory=list)


class PositionsFile(msgspec.Struct, forbid_unknown_fields=True):
    permissions: list[Permission]
    positions: list[Position]


class Pack(msgspec.Struct, frozen=True):
    kind: str
    label: str
    label_en: str
    settings: PackSettings
    nav: tuple[NavItem, ...]
    permissions: dict[str, Permission]
    positions: dict[str, Position]

    def permissions_of(self, position_codes: list[str]) -> frozenset[str]:
        granted: set[str] = set()
        for code in position_codes:
            position = self.positions.get(code)
            if position is not None:
                granted.update(position.permissions)
        return frozenset(granted)


S = TypeVar("S", bound=msgspec.Struct)


def _read(path: Path, struct: type[S]) -> S:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{path}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None
    try:
        return msgspec.convert(raw, struct)
    except msgspec.ValidationError as exc:
        # msgspec names the key as `$.positions[0].code`; keep it in the message.
        raise PackError(f"{path}: {exc}") from None


def load_pack(directory: Path) -> Pack:
    pack_file = _read(directory / "pack.toml", PackFile)
    positions_file = _read(directory / "positions.toml", PositionsFile)
    where = directory / "positions.toml"
    permissions: dict[str, Permission] = {}
    for i, permission in enumerate(positions_file.permissions):
        if permission.code in permissions:
            raise PackError(f"{where}: $.permissions[{i}].code: duplicate {permission.code!r}")
        permissions[permission.code] = permission
    positions: dict[str, Position] = {}
    for i, position in enumerate(positions_file.positions):
        if position.code in positions:
            raise PackError(f"{where}: $.positions[{i}].code: duplicate {position.code!r}")
        for perm in position.permissions:
            if perm not in permissions:
                raise PackError(
                    f"{where}: $.positions[{i}].permissions: unknown permission {perm!r}"
                )
        positions[position.code] = position
    admin = positions.get(ADMIN_POSITION)
    if admin is None:
        raise PackError(f"{where}: $.positions: no position with code 'admin'")
    missing = sorted(set(permissions) - set(admin.permissions))
    if missing:
        i = next(n for n, p in enumerate(positions_file.positions) if p.code == ADMIN_POSITION)
        raise PackError(
            f"{where}: $.positions[{i}].permissions: the admin position lacks {', '.join(missing)}"
        )
    for i, item in enumerate(pack_file.nav):
        if item.permission and item.permission not in permissions:
            where_nav = directory / "pack.toml"
            raise PackError(f"{where_nav}: $.nav[{i}].permission: unknown {item.permission!r}")
    if pack_file.kind != directory.name:
        raise PackError(f"{directory / 'pack.toml'}: $.kind: {pack_file.kind!r} != folder name")
    return Pack(
        kind=pack_file.kind,
        label=pack_file.label,
        label_en=pack_file.label_en,
        settings=pack_file.settings,
        nav=tuple(pack_file.nav),
        permissions=permissions,
        positions=positions,
    )


@cache
def _all_packs(tenants_dir: Path) -> dict[str, Pack]:
    packs = {}
    for directory in sorted(p for p in tenants_dir.iterdir() if p.is_dir()):
        pack = load_pack(directory)
        packs[pack.kind] = pack
    return packs


def all_packs() -> dict[str, Pack]:
    return _all_packs(get_settings().tenants_dir)


def get_pack(kind: str) -> Pack:
    try:
        return all_packs()[kind]
    except KeyError:
        raise PackError(f"no tenant pack for kind {kind!r}; known: {sorted(all_packs())}") from None
