"""Unit addresses as people write them: "3-2-1501", "3栋2单元1501", "3栋1501", "3幢1501室",
"3号楼2单元1501室", "A座-1501" all name building, entrance (单元, may be missing) and room.

Plain functions, no I/O: tests/units/policy/test_address.py tables them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BUILDING_WORDS = "号楼|栋|幢|座|楼|#"
_SEP = r"[-/—–_]"
_ADDRESS = re.compile(
    rf"^(?P<b>[0-9a-z]{{1,6}})(?:(?:{_BUILDING_WORDS}){_SEP}?|{_SEP})"
    rf"(?:(?P<e>[0-9a-z]{{1,4}})(?:单元{_SEP}?|门{_SEP}?|{_SEP}))?"
    r"(?P<r>[0-9a-z]{1,10})(?:室|号|房)?$"
)
_BUILDING_SUFFIX = re.compile(rf"({_BUILDING_WORDS}|号)$")
_ENTRANCE_SUFFIX = re.compile(r"(单元|门)$")
_ROOM_SUFFIX = re.compile(r"(室|号|房)$")


@dataclass(frozen=True)
class Address:
    """Codes, normalised: building "3", entrance "2" ("" when not written), room "1501"."""

    building: str
    entrance: str
    room: str


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def _number(text: str) -> str:
    # "03" and "3" are the same building or entrance; a room keeps its zeros ("0101").
    return text.lstrip("0") or "0" if text.isdigit() else text


def building_code(name: str) -> str:
    """"3栋", "3 幢", "３号楼", "03" -> "3"; "A座" -> "a"; a name without a number stays
    itself, squashed ("紫荆苑")."""
    flat = _squash(name)
    return _number(_BUILDING_SUFFIX.sub("", flat) or flat)


def entrance_code(text: str) -> str:
    flat = _squash(text)
    return _number(_ENTRANCE_SUFFIX.sub("", flat) or flat) if flat else ""


def room_code(text: str) -> str:
    flat = _squash(text)
    return _ROOM_SUFFIX.sub("", flat) or flat


def address_key(building: str, entrance: str, room: str) -> str:
    """The unique key of a unit in its tenant, from its parts as written."""
    return f"{building_code(building)}|{entrance_code(entrance)}|{room_code(room)}"


def parse_address(text: str) -> Address | None:
    """The address a desk query names, or None when the text is not one (a name, a phone, a
    bare number: a bare number may be a room or a phone's last digits, the search tries both)."""
    match = _ADDRESS.match(_squash(text))
    if not match:
        return None
    return Address(_number(match["b"]), _number(match["e"] or ""), match["r"])


def floor_of(room: str) -> int | None:
    """The floor a room number says: "1501" -> 15, "302" -> 3; None when it does not say."""
    code = room_code(room)
    if code.isdigit() and 3 <= len(code) <= 4:
        return int(code[:-2]) or None
    return None


_BUILDING_SPELLINGS = ("栋", "幢", "号楼", "座", "#")


def address_spellings(text: str) -> list[str]:
    """The ways a unit named by `text` is written in free text that was not parsed (a
    complaint's policy-or-unit field): "3-2-1501", "3栋2单元1501", "3号楼2单元1501室", …, for an
    equality lookup. [] when `text` names no unit. A query without its entrance ("3栋1501")
    finds only what was written without one."""
    address = parse_address(text)
    if address is None:
        return []
    b, e, r = address.building, address.entrance, address.room
    found: list[str] = []
    for building in dict.fromkeys((b, b.upper())):
        for room in dict.fromkeys((r, r.upper())):
            middle = (f"{e}单元",) if e else ("",)
            found.append(f"{building}-{e}-{room}" if e else f"{building}-{room}")
            for word in _BUILDING_SPELLINGS:
                for part in middle:
                    found += [f"{building}{word}{part}{room}", f"{building}{word}{part}{room}室"]
            if e:
                found += [f"{building}栋{e}-{room}", f"{building}栋{e}单元-{room}"]
    return list(dict.fromkeys(found))
