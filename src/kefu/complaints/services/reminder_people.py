"""Who a complaint reminder reaches: its owner (the handler, else whoever registered it);
when nobody owns it, the reviewers; overdue, the reviewers and the pack's senior positions too.
Read once per sweep (the owners once per batch of new ids), not once per reminder."""

from __future__ import annotations

from typing import Any

from kefu.accounts.queries import active_users
from kefu.core.packs import get_pack
from kefu.core.tenancy import TenantRow, UserRow
from kefu.tenancy.queries import members_holding


class People:
    def __init__(self, tenant: TenantRow, senior_positions: list[str]) -> None:
        self.tenant = tenant
        self.senior_positions = senior_positions
        self.users: dict[int, UserRow | None] = {}
        self._reviewers: list[UserRow] | None = None
        self._escalation: list[UserRow] | None = None

    async def load_owners(self, rows: list[dict[str, Any]]) -> None:
        wanted = {r[k] for r in rows for k in ("handler", "registered_by") if r[k] is not None}
        missing = sorted(wanted - set(self.users))
        if missing:
            found = {u.id: u for u in await active_users(missing)}
            self.users.update({i: found.get(i) for i in missing})

    async def owner(self, row: dict[str, Any]) -> UserRow | None:
        await self.load_owners([row])
        for key in ("handler", "registered_by"):
            if row[key] is not None and self.users.get(row[key]) is not None:
                return self.users[row[key]]
        return None

    async def reviewers(self) -> list[UserRow]:
        if self._reviewers is None:
            pack = get_pack(self.tenant.kind)
            self._reviewers = await members_holding(self.tenant.id, pack, permission="complaints.review")
        return self._reviewers

    async def escalation(self) -> list[UserRow]:
        if self._escalation is None:
            pack = get_pack(self.tenant.kind)
            self._escalation = await members_holding(
                self.tenant.id, pack, permission="complaints.review", positions=self.senior_positions
            )
        return self._escalation

    async def for_reminder(self, row: dict[str, Any], reach: str) -> list[UserRow]:
        """reach "owner": the owner (the reviewers if nobody owns it); "escalate": the owner,
        the reviewers and the senior positions."""
        owner = await self.owner(row)
        people = [owner] if owner else []
        if reach == "escalate" or not people:
            extra = await (self.escalation() if reach == "escalate" else self.reviewers())
            known = {u.id for u in people}
            people += [u for u in extra if u.id not in known]
        return people
