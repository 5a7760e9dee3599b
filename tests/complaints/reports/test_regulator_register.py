"""A art. 13: the register of regulator-transferred complaints lists each with its report due
date and when the report was sent; other complaints and other tenants' are not in it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import pytest_asyncio

from kefu.complaints import services
from kefu.complaints.queries.reports.regulator import report_state
from kefu.core import clock
from tests import factories
from tests.complaints.reports.conftest import TODAY, at, insert_complaint
from tests.complaints.reports.test_regulator_report import TRANSFER, context
from tests.fixtures import Client


@pytest.mark.parametrize(
    ("due", "sent", "state"),
    [
        (date(2026, 4, 16), date(2026, 4, 10), "sent"),
        (date(2026, 4, 16), date(2026, 4, 17), "sent_late"),
        (date(2026, 4, 14), None, "overdue"),
        (date(2026, 4, 15), None, "due_today"),
        (date(2026, 4, 16), None, "open"),
        (None, None, "no_due_date"),
    ],
)
def test_the_state_of_a_report(due, sent, state):
    assert report_state(due, sent, TODAY) == state


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def register(app):
    tenant = await factories.tenant(kind="insurance", name="己保险 Register " + uuid.uuid4().hex[:6])
    admin = await factories.member(tenant, ["admin"], name="Head 钱")
    ctx = await context(tenant, admin)
    with clock.frozen(at(TODAY)):
        sent = await services.register_complaint(ctx, TRANSFER)
        await services.record_regulator_report(ctx, sent.id, sent_on=date(2026, 4, 10))
        owed = await services.register_complaint(ctx, TRANSFER | {
            "regulator": TRANSFER["regulator"] | {"reference": "沪金监转〔2026〕120号", "report_due": "2026-04-14"}})
    plain = await insert_complaint(tenant, received_on=date(2026, 4, 2))
    return {"tenant": tenant, "admin": admin, "sent": sent, "owed": owed, "plain": plain}


async def test_the_register_lists_transfers_with_their_report_dates(app, register):
    client = Client(app)
    await client.signin(register["admin"].email)
    response = await client.get(f"/t/{register['tenant'].slug}/complaints/reports/regulator")
    assert response.status_code == 200
    html = response.text
    assert register["sent"].number in html and register["owed"].number in html
    assert register["plain"].number not in html
    # The overdue report first; the sent one with the day it was sent.
    assert html.index(register["owed"].number) < html.index(register["sent"].number)
    assert 'data-state="overdue"' in html and 'data-state="sent"' in html
    assert "沪金监转〔2026〕120号" in html
    # each row prints its written report (a print job: the button posts)
    assert f'action="/t/{register["tenant"].slug}/complaints/{register["owed"].id}/regulator-report.pdf"' in html
    await client.aclose()


async def test_another_tenant_sees_none_of_it(as_alice, cast, register):
    response = await as_alice.get(f"/t/{cast.tenant_a.slug}/complaints/reports/regulator")
    assert response.status_code == 200
    assert register["sent"].number not in response.text
