"""The customers a round's audience picks, read from the registry (kefu.customers.queries):
everyone it invites (with the channel each is reached by), its size before the round opens,
and what the audience form offers. (An uploaded list's rows are matched to registry customers
as the form is read: schemas.audience_list.match_customers.)
"""

from __future__ import annotations

from typing import Any

from kefu.core import phones
from kefu.customers.queries import audience as customers
from kefu.surveys.policy.audience import (
    MESSAGE_CHANNELS,
    Audience,
    Invitee,
    channel_for,
    check_audience,
)
from kefu.units import queries as units


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
    known = await customers.customers_by_id(tenant_id, ids)
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


async def _unit_invitees(tenant_id: int, audience: Audience, tags: dict[int, list[str]]) -> list[Invitee]:
    """The current residents of the chosen buildings' units (kefu.units), each once, of the
    chosen customer kinds; their building is the unit's."""
    residents = await units.current_residents(tenant_id, list(audience.unit_buildings) or None,
                                              list(audience.occupancy) or None)
    known = await customers.customers_by_id(tenant_id, sorted({r["customer"] for r in residents}))
    found, seen = [], set()
    for r in residents:
        c = known.get(r["customer"])
        if c is None or not c["is_active"] or c["id"] in seen:
            continue
        if audience.customer_kinds and c["kind"] not in audience.customer_kinds:
            continue
        seen.add(c["id"])
        found.append(_invitee({**c, "building": r["building_name"]}, tags))
    return found


async def select_invitees(tenant_id: int, audience: Audience) -> list[Invitee]:
    """Everyone the audience invites, in a stable order (by customer id, list order)."""
    check_audience(audience)
    if audience.kind == "none":
        return []
    tags = await customers.all_tags(tenant_id)
    if audience.kind == "list":
        return await _list_invitees(tenant_id, audience, tags)
    if audience.kind == "units":
        return await _unit_invitees(tenant_id, audience, tags)
    rows = await customers.active_customers(
        tenant_id, kinds=audience.customer_kinds,
        buildings=audience.buildings if audience.kind == "buildings" else None,
        segment=audience.segment if audience.kind == "segment" else None,
    )
    return [_invitee(c, tags) for c in rows]


async def audience_size(tenant_id: int, audience: Audience) -> tuple[int, int]:
    """(people invited, of whom messaged) if the round opened now."""
    invitees = await select_invitees(tenant_id, audience)
    return len(invitees), sum(1 for i in invitees if i.channel in MESSAGE_CHANNELS)


async def choices(tenant_id: int) -> dict[str, Any]:
    """What the audience form offers: the kinds, buildings and segments the tenant's customers
    have, and the buildings of its units (with the occupancy states) when it has any."""
    found: dict[str, Any] = dict(await customers.audience_choices(tenant_id))
    found["unit_buildings"] = await units.building_choices(tenant_id)
    found["occupancy"] = list(units.occupancy_labels()) if found["unit_buildings"] else []
    found["occupancy_label"] = units.occupancy_labels()
    return found
