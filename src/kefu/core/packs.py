"""Tenant packs: TOML under tenants/<kind>/, validated into msgspec Structs on load.

A pack is data — positions, permissions, navigation, settings defaults. Code reads the pack;
it never branches on the kind's name. A broken pack fails loudly with the file and key.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

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

    def with_permissions(self, own: Mapping[str, Sequence[str]] | None) -> Pack:
        """This pack with a tenant's own permissions for the positions it lists (kept in the
        tenant's settings, edited on the duties configuration page). A code the pack no longer
        knows is dropped; the admin position keeps every permission whatever is stored."""
        if not own:
            return self
        key = (id(self), msgspec.json.encode(dict(sorted(own.items()))))
        found = _OWN.get(key)
        if found is None or found[0] is not self:
            if len(_OWN) > 512:
                _OWN.clear()
            found = _OWN[key] = (self, _with_permissions(self, key[1]))
        return found[1]


# (id(pack), the tenant's permissions as JSON) -> (that pack, the pack with them); a pack is not
# hashable (its dicts), and the packs themselves live as long as the process.
_OWN: dict[tuple[int, bytes], tuple[Pack, Pack]] = {}


# The key of a tenant's settings holding its own permissions per position (kefu.duties edits
# them on its configuration page; kefu.tenancy applies them with the tenant's row).
OWN_PERMISSIONS = "position_permissions"


def own_permissions(settings: Any) -> dict[str, list[str]]:
    """The tenant's own permissions per position from its settings column (text or a dict);
    positions not listed grant the pack's."""
    if isinstance(settings, str):
        settings = json.loads(settings or "{}")
    own = settings.get(OWN_PERMISSIONS) if isinstance(settings, dict) else None
    if not isinstance(own, dict):
        return {}
    return {str(k): [str(p) for p in v] for k, v in own.items() if isinstance(v, list)}


def check_own_permissions(pack: Pack, own: Mapping[str, Sequence[str]], where: str) -> None:
    """A tenant's own permissions per position, checked as positions.toml is: known positions and
    permissions, each once, and the admin position granting every permission."""
    for position, codes in own.items():
        key = f"$.permissions.{position}"
        if position not in pack.positions:
            raise PackError(f"{where}: {key}: unknown position {position!r}")
        for code in codes:
            if code not in pack.permissions:
                raise PackError(f"{where}: {key}: unknown permission {code!r}")
        if len(set(codes)) != len(codes):
            raise PackError(f"{where}: {key}: a permission listed twice")
        if position == ADMIN_POSITION and set(codes) != set(pack.permissions):
            missing = sorted(set(pack.permissions) - set(codes))
            raise PackError(f"{where}: {key}: the admin position lacks {', '.join(missing)}")


def _with_permissions(pack: Pack, encoded: bytes) -> Pack:
    own: dict[str, list[str]] = msgspec.json.decode(encoded)
    positions = {}
    for code, position in pack.positions.items():
        if code in own and code != ADMIN_POSITION:
            kept = [p for p in own[code] if p in pack.permissions]
            position = Position(code=position.code, name=position.name, name_en=position.name_en, permissions=kept)
        positions[code] = position
    return msgspec.structs.replace(pack, positions=positions)


S = TypeVar("S", bound=msgspec.Struct)


def read_toml(path: Path, *, optional: bool = False) -> dict[str, Any] | None:
    """A pack file's TOML (None for a missing optional file); PackError names the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if optional:
            return None
        raise PackError(f"{path}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None


def read_struct(path: Path, struct: type[S], *, default: S | None = None) -> S:
    """A pack file validated into `struct`; `default` where the file is optional and missing.
    msgspec names the key as `$.positions[0].code`; the message keeps it, after the file."""
    raw = read_toml(path, optional=default is not None)
    if raw is None:
        assert default is not None
        return default
    try:
        return msgspec.convert(raw, struct)
    except msgspec.ValidationError as exc:
        raise PackError(f"{path}: {exc}") from None


def check_unique_codes(pack: object, keys: tuple[str, ...], where: Path) -> None:
    """Each list named in `keys` (of items with a `code`) holds each code once."""
    for key in keys:
        codes = [c.code for c in getattr(pack, key)]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                raise PackError(f"{where}: $.{key}[{i}].code: duplicate {code!r}")


def _read(path: Path, struct: type[S]) -> S:
    return read_struct(path, struct)


def load_pack(directory: Path) -> Pack:
    pack_file = _read(directory / "pack.toml", PackFile)
    positions_file = _read(directory / "positions.toml", PositionsFile)
    where = directory / "positions.toml"
    permissions = _permissions(positions_file, where)
    positions = _positions(positions_file, permissions, where)
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


def _permissions(positions_file: PositionsFile, where: Path) -> dict[str, Permission]:
    permissions: dict[str, Permission] = {}
    for i, permission in enumerate(positions_file.permissions):
        if permission.code in permissions:
            raise PackError(f"{where}: $.permissions[{i}].code: duplicate {permission.code!r}")
        permissions[permission.code] = permission
    return permissions


def _positions(positions_file: PositionsFile, permissions: dict[str, Permission], where: Path) -> dict[str, Position]:
    """Each position once, granting known permissions; the admin position grants every one."""
    positions: dict[str, Position] = {}
    for i, position in enumerate(positions_file.positions):
        if position.code in positions:
            raise PackError(f"{where}: $.positions[{i}].code: duplicate {position.code!r}")
        for perm in position.permissions:
            if perm not in permissions:
                raise PackError(f"{where}: $.positions[{i}].permissions: unknown permission {perm!r}")
        positions[position.code] = position
    admin = positions.get(ADMIN_POSITION)
    if admin is None:
        raise PackError(f"{where}: $.positions: no position with code 'admin'")
    missing = sorted(set(permissions) - set(admin.permissions))
    if missing:
        i = next(n for n, p in enumerate(positions_file.positions) if p.code == ADMIN_POSITION)
        raise PackError(f"{where}: $.positions[{i}].permissions: the admin position lacks {', '.join(missing)}")
    return positions


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
