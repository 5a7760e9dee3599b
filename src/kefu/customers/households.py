"""Who counts as one household: owners and residents of the same flat, however its building
and flat were typed ("3栋/2单元1501室", "3-2-1501" give one key), and the flat a front-desk
lookup names. Pure; tests/customers/test_rules.py tables them.
"""

from __future__ import annotations

import re
import unicodedata

HOUSEHOLD_KINDS = frozenset({"owner", "resident"})
_BUILDING_SUFFIX = re.compile(r"(号楼|栋|幢|座|楼)$")
_UNIT_SUFFIX = re.compile(r"(室|号)$")
# "2单元1501" is entrance 2, flat 1501: written "2-1501" elsewhere.
_ENTRANCE = re.compile(r"(?<=\d)单元(?=\d)")
FLAT_QUERY = re.compile(r"^\s*([^\s\-－/]+)\s*[-－/]\s*(\S.*?)\s*$")


def compact(text: str) -> str:
    """NFKC, lower case, no spaces: how two spellings of one word are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def normalise_building(text: str) -> str:
    """"3栋", "3 幢", "３号楼" -> "3"; a name without a number stays as typed ("紫荆苑")."""
    flat = compact(text)
    stripped = _BUILDING_SUFFIX.sub("", flat)
    return stripped or flat


def normalise_unit(text: str) -> str:
    flat = _ENTRANCE.sub("", compact(text).replace("-", ""))
    stripped = _UNIT_SUFFIX.sub("", flat)
    return stripped or flat


def household_key(kind: str, building: str, unit: str, customer_id: int | None) -> str:
    """Who counts as one household for "one answer per household": owners and residents of
    the same flat share building|unit; everyone else (or a flat not given) is their own."""
    if kind in HOUSEHOLD_KINDS:
        b, u = normalise_building(building), normalise_unit(unit)
        if b and u:
            return f"{b}|{u}"
    return f"c:{customer_id}" if customer_id is not None else ""


def flat_query_household(query: str) -> str:
    """The household key a front-desk lookup like "3-2-1501" (building 3, flat 2-1501) or
    "3栋/1501" names, or "" when the query is not of that shape."""
    match = FLAT_QUERY.match(unicodedata.normalize("NFKC", query or ""))
    if not match:
        return ""
    return household_key("owner", match.group(1), match.group(2), None)
