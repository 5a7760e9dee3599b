"""Results pages: an insurer per module (survey pages read the same on both kinds) with its
customer-service manager (客服管理岗: surveys.view and surveys.actions) and a quality inspector
(质检岗: surveys.view only), signed in as browser-like clients (tests.fixtures.staff_of). Rounds and responses are
inserted directly (tests/survey_factories.py)."""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of

POSITIONS = {"manager": "cs_manager", "qa": "qa"}


class Office(Staff):
    def round_url(self, round_id: int, path: str = "/results") -> str:
        return self.url(f"/rounds/{round_id}{path}")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def office(app) -> Office:
    # Fresh users: a test here switches a member's locale (and back), which must not leak out.
    made = await staff_of("insurance", POSITIONS, name="调查结果 Results " + factories.unique("r"), fresh=True)
    office = Office(app, made.tenant, made.users, "/surveys")
    yield office
    await office.aclose()
