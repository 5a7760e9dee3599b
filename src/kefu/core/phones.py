"""Phone numbers as people type them: the one normaliser every module compares with.

A mainland mobile arrives as "138 0013 8000", "+86 138-0013-8000", "0086 13800138000" or with
full-width digits from a Chinese input method; all are the 11 digits "13800138000". Other
numbers keep their digits (and a leading "+" for a foreign number).
"""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\s()（）\-–—.]")
_SHAPE = re.compile(r"\+?[0-9]{5,20}")
_CHINA = ("0086", "86")
# Full-width digits, plus and dash from a Chinese input method. Only these are folded: NFKC
# would also turn "²" or "①" into digits, which nobody means as a phone number.
_FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {
    0xFF0B: ord("+"), 0xFF0D: ord("-"), 0x3000: ord(" ")}


def normalise(raw: str | None) -> str | None:
    """The phone as stored and matched; "" for no phone; None if it is not a phone number."""
    text = _NOISE.sub("", (raw or "").translate(_FULL_WIDTH))
    if not text:
        return ""
    if not _SHAPE.fullmatch(text):
        return None
    digits = text.lstrip("+")
    for prefix in _CHINA:
        rest = digits[len(prefix):]
        if digits.startswith(prefix) and len(rest) == 11 and rest.startswith("1"):
            return rest
    return text if text.startswith("+") else digits


def key(raw: str | None) -> str:
    """A comparison key for loose matching (lists, households): the normalised number without
    "+", or "" when it is not a phone number."""
    return (normalise(raw) or "").lstrip("+")


def variants(raw: str | None) -> list[str]:
    """The forms one phone may be stored in by older rows (with or without +86), for an
    indexed equality lookup; [] if it is not a phone number."""
    phone = normalise(raw)
    if not phone:
        return []
    forms = {phone, phone.lstrip("+")}
    if len(phone) == 11 and phone.startswith("1"):
        forms |= {f"+86{phone}", f"86{phone}", f"0086{phone}"}
    return sorted(forms)
