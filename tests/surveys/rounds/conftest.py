"""Staff pages of survey rounds: a property centre per test with its supervisor (陈静's position,
relations_supervisor) and a front-desk member who may not manage surveys (tests.fixtures.staff_of)."""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of

Centre = Staff  # url() points into /surveys


@pytest_asyncio.fixture(loop_scope="session")
async def centre_pages(app) -> Centre:
    made = await staff_of("property", {"supervisor": "relations_supervisor", "desk": "front_desk"}, app=app,
                          name="调查中心物业 " + factories.unique("p"), locale="zh_CN", home="/surveys")
    yield made
    await made.aclose()
