"""An insurer per test with the callback staff of art. 22 as TenantContexts, the clock frozen on
Monday 2026-03-02, 10:00 Shanghai (inside calling hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import pytest_asyncio

from kefu.core.tenancy import TenantContext
from tests.fixtures import staff_of

TODAY = date(2026, 3, 2)
ROLES = {"agent": "agent", "agent2": "agent", "sales": "sales", "manager": "cs_manager", "head": "cs_head",
         "qa": "qa", "handler": "cs_manager"}


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock) -> None:
    frozen_clock.travel(TODAY)


@dataclass
class Team:
    tenant: object
    agent: TenantContext
    agent2: TenantContext
    sales: TenantContext
    manager: TenantContext
    head: TenantContext
    qa: TenantContext
    handler: TenantContext


async def make_team(kind: str = "insurance") -> Team:
    staff = await staff_of(kind, ROLES)
    return Team(staff.tenant, **await staff.contexts())


@pytest_asyncio.fixture(loop_scope="session")
async def team() -> Team:
    return await make_team()
