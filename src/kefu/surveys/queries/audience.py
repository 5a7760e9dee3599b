"""The customers a round's audience picks, read from the registry: everyone it invites (with
the channel each is reached by), its size before the round opens, what the audience form
offers, and an uploaded list's rows matched to registry customers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kefu.core import phones
from kefu.core.scoping import scoped
from kefu.customers.tables import Customer, CustomerTag
from kefu.surveys.policy.audience import (
    MESSAGE_CHANNELS,
    Audience,
    Invitee,
    ListRow,
    channel_for,
    check_audience,
)


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
            household=f"list:{phones.key(r.phone) or r.email.lower() or r.name}",
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


async def match_customers(tenant_id: int, rows: list[ListRow]) -> list[ListRow]:
    """Each row with the id of the registry customer of the same external reference or phone."""
    refs = sorted({r.external_ref for r in rows if r.external_ref})
    wanted = {phones.key(r.phone) for r in rows if r.phone} - {""}
    by_ref: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    for start in range(0, len(refs), 1000):
        found = await scoped(Customer, tenant_id, Customer.id, Customer.external_ref).where(
            Customer.external_ref.is_in(refs[start:start + 1000])).order_by(Customer.id)
        for c in found:
            by_ref.setdefault(c["external_ref"], c["id"])
    if wanted:
        # Phones are stored as typed ("138 0013 8000"): compare them normalised.
        found = await scoped(Customer, tenant_id, Customer.id, Customer.phone).where(
            Customer.phone != "").order_by(Customer.id)
        for c in found:
            key = phones.key(c["phone"])
            if key in wanted:
                by_phone.setdefault(key, c["id"])
    return [
        replace(r, customer_id=by_ref.get(r.external_ref) or by_phone.get(phones.key(r.phone)))
        for r in rows
    ]
