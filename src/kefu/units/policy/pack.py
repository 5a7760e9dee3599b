"""The units part of a tenant's pack: tenants/<kind>/units.toml (uses of a unit, the move-in
and move-out checklists). A kind without the file keeps no units: its pack grants no units
permission either. The one part of policy/ that reads a file, once, cached.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec

from kefu.core.labels import Labels
from kefu.core.packs import check_unique_codes, read_struct
from kefu.settings import get_settings

FILENAME = "units.toml"


class Choice(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: str
    label: str
    label_en: str


class UnitsPack(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    uses: tuple[Choice, ...] = ()
    move_in: tuple[Choice, ...] = ()
    move_out: tuple[Choice, ...] = ()

    def use_codes(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.uses)

    def labels(self, key: str) -> Labels:
        """The words for the codes of `uses`, `move_in` or `move_out`, in the user's language."""
        return Labels({c.code: {"zh_CN": c.label, "en": c.label_en} for c in getattr(self, key)})


def _check(pack: UnitsPack, where: Path) -> UnitsPack:
    check_unique_codes(pack, ("uses", "move_in", "move_out"), where)
    return pack


@cache
def _load(path: Path) -> UnitsPack:
    """The kind's file, or an empty pack where the kind has none."""
    return _check(read_struct(path, UnitsPack, default=UnitsPack()), path)


def units_pack(kind: str) -> UnitsPack:
    return _load(get_settings().tenants_dir / kind / FILENAME)
