"""Who holds each position on a day: members by their membership's positions, and dated
assignments (holder, acting, deputy) on top. A deputy's set (`same_as`) makes its holders the
deputies of the position it copies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.policy.pack import DutyPack
from kefu.duties.queries.config import pack_of
from kefu.duties.tables import PositionAssignment
from kefu.tenancy.queries import get_tenant
from kefu.tenancy.queries.positions import member_positions

# The order a position's work goes to: its holder, an acting holder, a member holding it by
# membership, then a deputy.
ROLE_ORDER = ("holder", "acting", "member", "deputy")


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str
    locale: str


@dataclass
class Holders:
    people: dict[int, Person] = field(default_factory=dict)
    # position -> [(role, user id)], in ROLE_ORDER
    roles: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def add(self, position: str, role: str, person: Person) -> None:
        self.people[person.id] = person
        entries = self.roles.setdefault(position, [])
        if (role, person.id) not in entries:
            entries.append((role, person.id))
            entries.sort(key=lambda e: (ROLE_ORDER.index(e[0]), e[1]))

    def of(self, position: str) -> list[Person]:
        """Everyone on the position (any role), first the one its work goes to."""
        seen: list[int] = []
        for _, uid in self.roles.get(position, []):
            if uid not in seen:
                seen.append(uid)
        return [self.people[u] for u in seen]

    def holder(self, position: str) -> Person | None:
        found = self.of(position)
        return found[0] if found else None

    def positions_of(self, user_id: int) -> list[str]:
        return sorted(p for p, entries in self.roles.items() if any(u == user_id for _, u in entries))


def _person(row: dict[str, Any]) -> Person:
    return Person(id=row["user"], name=row["name"], email=row["email"], locale=row["locale"] or "zh_CN")


async def assignments_on(tenant_id: int, day: date) -> list[dict[str, Any]]:
    """The assignments running on `day`, with the person's name, email and locale."""
    return await scoped(
        PositionAssignment, tenant_id, PositionAssignment.user.id.as_alias("user"), PositionAssignment.position,
        PositionAssignment.role, PositionAssignment.user.name.as_alias("name"),
        PositionAssignment.user.email.as_alias("email"), PositionAssignment.user.locale.as_alias("locale"),
    ).where(
        PositionAssignment.starts_on <= day,
        PositionAssignment.ends_on.is_null() | (PositionAssignment.ends_on > day),  # ends_on: its first day off
        PositionAssignment.user._.is_active.eq(True),
    ).order_by(PositionAssignment.id)


async def holders_on(tenant_id: int, pack: DutyPack, day: date) -> Holders:
    async with transaction(tenant_id, write=False):
        members = await member_positions(tenant_id)
        assigned = await assignments_on(tenant_id, day)
    held = Holders()
    for row in members:
        for position in row["positions"]:
            held.add(position, "member", _person(row))
    for row in assigned:
        held.add(row["position"], row["role"], _person(row))
    for position, duty_set in pack.sets.items():
        if duty_set.same_as:
            for person in held.of(position):
                held.add(duty_set.same_as, "deputy", person)
    return held


async def positions_on(tenant_id: int, user_ids: Sequence[int], day: date) -> dict[int, list[str]]:
    """The positions each person holds on `day` (by membership or a running assignment), in the
    tenant's duty configuration: for a scorecard contributor whose figure depends on what a
    person covers (kefu.surveys.scorecard)."""
    tenant = await get_tenant(tenant_id)
    if tenant is None:
        return {}
    held = await holders_on(tenant_id, await pack_of(tenant_id, tenant.kind), day)
    return {uid: held.positions_of(uid) for uid in user_ids}
