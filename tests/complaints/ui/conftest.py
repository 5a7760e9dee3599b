"""Staff pages of complaints: a fresh insurer per test (tests.fixtures.staff_of), its staff
signed in as browser-like clients, and the shared frozen clock (Monday 2026-03-02, 10:00 in Shanghai).

Staff (positions of tenants/insurance/positions.toml): agent (客服岗: view, register), head
(客服处负责人: review, handle, approve extensions), handler (客服管理岗: handle), qa (质检岗:
view only). The standing cast (alice, bob, carol of tests/fixtures.py) is used where a test
is about another tenant.
"""

from __future__ import annotations

from datetime import date

import pytest
import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of

TODAY = date(2026, 3, 2)  # a Monday
POSITIONS = {"agent": "agent", "head": "cs_head", "handler": "cs_manager", "qa": "qa",
             "ops": "ops_head"}  # the senior manager: the second extension is theirs


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock) -> None:
    frozen_clock.travel(TODAY)


@pytest.fixture
def travel(frozen_clock):
    """travel(day): move the frozen clock to `day` (10:00 Shanghai) for the rest of the test."""
    return frozen_clock.travel


Office = Staff  # one insurer's customer-service office; url() points into /complaints


@pytest_asyncio.fixture(loop_scope="session")
async def office(app) -> Office:
    made = await staff_of("insurance", POSITIONS, app=app, name="投诉办公室 Office " + factories.unique("o"),
                          home="/complaints")
    yield made
    await made.aclose()
