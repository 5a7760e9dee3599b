"""Whom a round invites (the rules; the customers it picks are read in queries.audience): all customers of some kinds, chosen buildings, a segment (a customer tag),
or an uploaded list.

Who gets a message, and who only an invitation:
- Inactive customers are never invited.
- Every other customer in the audience gets an invitation (a personal token), so the response
  rate counts the whole audience.
- Only those who agreed to be contacted (consent_contact) and can be reached get a notice: by
  their preferred channel (SMS needs a phone, email an address), else by the other one they
  have. A customer who prefers letters, or no contact, or gave no consent, gets channel
  "letter" or "none": no notice; they answer through the poster's open link, or staff hand or
  post them their personal link (the round's XLSX export lists it).
- Audience "none" invites nobody by name: the round is answered through its open link only.
- Rows of an uploaded list are matched to registry customers by phone or external reference;
  a matched row follows that customer's consent and preference. An unmatched row is messaged
  only when the uploader confirms that everyone on the list agreed to be contacted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kefu.core import phones
from kefu.core.errors import FieldError

KINDS = ("all", "buildings", "units", "segment", "list", "none")  # none: only the open link
# "units": the current residents of units (kefu.units) in chosen buildings and occupancy states.
MESSAGE_CHANNELS = ("sms", "email")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_BUILDINGS = 200


@dataclass(frozen=True)
class ListRow:
    """One person of an uploaded list, matched to a customer when possible."""

    name: str
    phone: str = ""
    email: str = ""
    building: str = ""
    external_ref: str = ""
    customer_id: int | None = None


@dataclass(frozen=True)
class Audience:
    kind: str  # KINDS
    customer_kinds: tuple[str, ...] = ()  # empty: every kind
    buildings: tuple[str, ...] = ()
    segment: str = ""
    rows: tuple[ListRow, ...] = ()
    list_consent: bool = False  # the uploader confirms the unmatched rows agreed to contact
    unit_buildings: tuple[int, ...] = ()  # "units": building ids (none: every building)
    occupancy: tuple[str, ...] = ()  # "units": occupancy states (none: any)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "customer_kinds": list(self.customer_kinds)}
        if self.kind == "buildings":
            data["buildings"] = list(self.buildings)
        if self.kind == "units":
            data["unit_buildings"] = list(self.unit_buildings)
            data["occupancy"] = list(self.occupancy)
        if self.kind == "segment":
            data["segment"] = self.segment
        if self.kind == "list":
            data["rows"] = [r.__dict__ for r in self.rows]
            data["list_consent"] = self.list_consent
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audience:
        data = data or {}
        return cls(
            kind=str(data.get("kind") or "all"),
            customer_kinds=tuple(data.get("customer_kinds") or ()),
            buildings=tuple(data.get("buildings") or ()),
            segment=str(data.get("segment") or ""),
            rows=tuple(ListRow(**r) for r in data.get("rows") or ()),
            list_consent=bool(data.get("list_consent")),
            unit_buildings=tuple(int(b) for b in data.get("unit_buildings") or ()),
            occupancy=tuple(str(o) for o in data.get("occupancy") or ()),
        )


@dataclass
class Invitee:
    """An invitation to be: who, how to reach them, and the snapshots results break down by."""

    name: str
    channel: str  # sms | email | letter | none
    customer_id: int | None = None
    phone: str = ""
    email: str = ""
    building: str = ""
    segment: str = ""
    household: str = ""
    locale: str = "zh_CN"
    extra: dict[str, Any] = field(default_factory=dict)


def channel_for(*, consent: bool, preferred: str, phone: str, email: str) -> str:
    """The channel a notice goes by, "letter" (no notice: staff post the link) or "none"."""
    if not consent or preferred == "none":
        return "none"
    if preferred == "letter":
        return "letter"
    reachable = {"sms": bool(phones.normalise(phone)), "email": bool(EMAIL_RE.match(email or ""))}
    if reachable.get(preferred):
        return preferred
    return next((c for c in MESSAGE_CHANNELS if reachable[c]), "none")


def check_audience(audience: Audience) -> None:
    """Raise FieldError naming the form field when the audience is not usable."""
    if audience.kind not in KINDS:
        raise FieldError("audience", "Choose a value from the list.")
    if audience.kind == "buildings" and not audience.buildings:
        raise FieldError("buildings", "Choose at least one building.")
    if len(audience.buildings) > MAX_BUILDINGS or len(audience.unit_buildings) > MAX_BUILDINGS:
        raise FieldError("buildings", "Choose at most %(max)s buildings.", max=MAX_BUILDINGS)
    if audience.kind == "segment" and not audience.segment:
        raise FieldError("segment", "Choose a segment.")
    if audience.kind == "list" and not audience.rows:
        raise FieldError("list_file", "Upload a list with at least one person.")
