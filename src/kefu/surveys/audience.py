"""Whom a round invites: all customers of some kinds, chosen buildings, a segment (a customer tag),
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

from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.customers.tables import Customer, CustomerTag

KINDS = ("all", "buildings", "segment", "list", "none")  # none: only the open link
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

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "customer_kinds": list(self.customer_kinds)}
        if self.kind == "buildings":
            data["buildings"] = list(self.buildings)
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


def normalize_phone(raw: str) -> str:
    """Digits only, without China's +86 / 0086 prefix: how phones are compared."""
    digits = re.sub(r"\D", "", raw or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix):]
    return digits


def channel_for(*, consent: bool, preferred: str, phone: str, email: str) -> str:
    """The channel a notice goes by, "letter" (no notice: staff post the link) or "none"."""
    if not consent or preferred == "none":
        return "none"
    if preferred == "letter":
        return "letter"
    reachable = {"sms": bool(normalize_phone(phone)), "email": bool(EMAIL_RE.match(email or ""))}
    if reachable.get(preferred):
        return preferred
    return next((c for c in MESSAGE_CHANNELS if reachable[c]), "none")


def check_audience(audience: Audience) -> None:
    """Raise FieldError naming the form field when the audience is not usable."""
    if audience.kind not in KINDS:
        raise FieldError("audience", "Choose a value from the list.")
    if audience.kind == "buildings" and not audience.buildings:
        raise FieldError("buildings", "Choose at least one building.")
    if len(audience.buildings) > MAX_BUILDINGS:
        raise FieldError("buildings", "Choose at most %(max)s buildings.", max=MAX_BUILDINGS)
    if audience.kind == "segment" and not audience.segment:
        raise FieldError("segment", "Choose a segment.")
    if audience.kind == "list" and not audience.rows:
        raise FieldError("list_file", "Upload a list with at least one person.")


def customer_query(tenant_id: int, audience: Audience, *columns: Any):
    """The active customers of a (non-list) audience, as one scoped select."""
    query = scoped(Customer, tenant_id, *columns).where(Customer.is_active.eq(True))
    if audience.customer_kinds:
        query = query.where(Customer.kind.is_in(list(audience.customer_kinds)))
    if audience.kind == "buildings":
        query = query.where(Customer.building.is_in(list(audience.buildings)))
    elif audience.kind == "segment":
        tagged = scoped(CustomerTag, tenant_id, CustomerTag.customer).where(
            CustomerTag.tag == audience.segment
        )
        query = query.where(Customer.id.is_in(tagged))
    return query


_COLUMNS = (
    Customer.id, Customer.name, Customer.phone, Customer.email, Customer.building,
    Customer.household, Customer.consent_contact, Customer.preferred_channel, Customer.locale,
)


async def _tags(tenant_id: int) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    rows = await scoped(CustomerTag, tenant_id, CustomerTag.customer.as_alias("customer"), CustomerTag.tag).order_by(
        CustomerTag.tag
    )
    for r in rows:
        tags.setdefault(r["customer"], []).append(r["tag"])
    return tags


def _invitee(c: dict[str, Any], tags: dict[int, list[str]]) -> Invitee:
    return Invitee(
        name=c["name"], customer_id=c["id"], phone=c["phone"], email=c["email"],
        channel=channel_for(consent=c["consent_contact"], preferred=c["preferred_channel"],
                            phone=c["phone"], email=c["email"]),
        building=c["building"], segment=",".join(tags.get(c["id"], []))[:200],
        household=c["household"] or f"customer:{c['id']}",
        locale=c["locale"] if c["locale"] in ("zh_CN", "en") else "zh_CN",
    )


async def _list_invitees(tenant_id: int, audience: Audience, tags: dict[int, list[str]]) -> list[Invitee]:
    ids = sorted({r.customer_id for r in audience.rows if r.customer_id})
    known: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        for c in await scoped(Customer, tenant_id, *_COLUMNS, Customer.is_active).where(Customer.id.is_in(chunk)):
            known[c["id"]] = c
    found, seen = [], set()
    for r in audience.rows:
        c = known.get(r.customer_id or 0)
        if c is not None:
            if c["is_active"] and c["id"] not in seen:
                seen.add(c["id"])
                found.append(_invitee(c, tags))
            continue
        channel = channel_for(consent=audience.list_consent, preferred="sms", phone=r.phone, email=r.email)
        found.append(Invitee(
            name=r.name, phone=r.phone, email=r.email, channel=channel, building=r.building,
            household=f"list:{normalize_phone(r.phone) or r.email.lower() or r.name}",
        ))
    return found


async def select_invitees(tenant_id: int, audience: Audience) -> list[Invitee]:
    """Everyone the audience invites, in a stable order (by customer id, list order)."""
    check_audience(audience)
    if audience.kind == "none":
        return []
    tags = await _tags(tenant_id)
    if audience.kind == "list":
        return await _list_invitees(tenant_id, audience, tags)
    rows = await customer_query(tenant_id, audience, *_COLUMNS).order_by(Customer.id)
    return [_invitee(c, tags) for c in rows]


async def audience_size(tenant_id: int, audience: Audience) -> tuple[int, int]:
    """(people invited, of whom messaged) if the round opened now."""
    invitees = await select_invitees(tenant_id, audience)
    return len(invitees), sum(1 for i in invitees if i.channel in MESSAGE_CHANNELS)


async def choices(tenant_id: int) -> dict[str, list[str]]:
    """What the audience form offers: the kinds, buildings and segments the tenant's customers have."""
    kinds = await scoped(Customer, tenant_id, Customer.kind).distinct().order_by(Customer.kind)
    buildings = await scoped(Customer, tenant_id, Customer.building).where(
        Customer.building != ""
    ).distinct().order_by(Customer.building)
    tags = await scoped(CustomerTag, tenant_id, CustomerTag.tag).distinct().order_by(CustomerTag.tag)
    return {
        "kinds": [r["kind"] for r in kinds],
        "buildings": [r["building"] for r in buildings],
        "segments": [r["tag"] for r in tags],
    }
