"""Survey template pages: a fresh property centre per test with its staff signed in
(tests.fixtures.staff_of).

Staff (tenants/property/positions.toml): supervisor (客户关系主管: surveys.view and
surveys.manage), front_desk (前台: neither). An insurer's qa (质检岗: surveys.view only) and agent
(客服岗: neither) check the view-only and refused cases.
"""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of

POSITIONS = {"supervisor": "relations_supervisor", "front_desk": "front_desk"}
INSURER_POSITIONS = {"qa": "qa", "agent": "agent", "head": "cs_head"}

Centre = Staff  # url() points into /surveys/templates


async def _centre(app, kind: str, positions: dict[str, str]) -> Centre:
    return await staff_of(kind, positions, app=app, name=f"问卷中心 Centre {factories.unique('c')}",
                          locale="zh_CN", home="/surveys/templates")


@pytest_asyncio.fixture(loop_scope="session")
async def centre(app):
    made = await _centre(app, "property", POSITIONS)
    yield made
    await made.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    made = await _centre(app, "insurance", INSURER_POSITIONS)
    yield made
    await made.aclose()


# The browser test of the editor runs on the e2e harness: `kefu serve` and Debian's chromium.
from tests.e2e.conftest import browser, journey, live_server, page  # noqa: E402, F401
