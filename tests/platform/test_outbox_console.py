"""The platform console's outbox queues (/admin/outbox): counts per tenant and state, never a
notice's content; send again / cancel all per (tenant, state) after a confirmation page; platform
admins only; bad input changes nothing."""

from __future__ import annotations

import re

import pytest
import pytest_asyncio

from kefu.db import transaction
from kefu.notifications.services import Recipient
from kefu.notifications.tables import Notice
from tests import factories
from tests.notifications.factories import owe
from tests.notifications.support import notice_row

URL = "/admin/outbox"
SECRET_NAME = "秘密收件人 Secret Recipient"


@pytest_asyncio.fixture(loop_scope="session")
async def root(make_client):
    person = await factories.user(name="Root 运维", superuser=True)
    c = make_client()
    await c.signin(person.email)
    return c


async def _dead(tenant, n: int) -> list[int]:
    recipient = Recipient(name=SECRET_NAME, email="secret-recipient@example.test", locale="zh_CN")
    ids = [await owe(tenant, recipient=recipient) for _ in range(n)]
    async with transaction(tenant.id):
        await Notice.update({Notice.state: "dead", Notice.attempts: 5}).where(
            Notice.tenant == tenant.id, Notice.id.is_in(ids))
    return ids


def _cell(page: str, tenant_id: int, state: str) -> str:
    row = re.search(rf'<tr id="queue-tenant-{tenant_id}">(.*?)</tr>', page, re.S)
    assert row, f"no row for tenant {tenant_id}"
    cell = re.search(rf'<td class="state-{state}">(.*?)</td>', row.group(1), re.S)
    assert cell
    return cell.group(1)


async def test_the_page_counts_by_tenant_and_state_without_content(root):
    tenant = await factories.tenant()
    await _dead(tenant, 2)
    page = await root.get(URL)
    assert page.status_code == 200
    cell = _cell(page.text, tenant.id, "dead")
    assert '<span class="count">2</span>' in cell and "retry-all" in cell and "cancel-all" in cell
    assert SECRET_NAME not in page.text and "secret-recipient@" not in page.text
    assert 'id="outbox-queues-link"' in (await root.get("/admin/health")).text


async def test_cancel_all_asks_first_then_says_how_many(root):
    tenant = await factories.tenant()
    ids = await _dead(tenant, 3)
    confirm = await root.get(f"{URL}/{tenant.id}/confirm?state=dead&action=cancel")
    assert confirm.status_code == 200 and 'id="outbox-confirm"' in confirm.text
    assert SECRET_NAME not in confirm.text
    assert [(await notice_row(tenant, i)).state for i in ids] == ["dead"] * 3  # asking changed nothing

    response = await root.post(f"{URL}/{tenant.id}", {"action": "cancel", "state": "dead"})
    assert response.status_code == 302
    page = await root.get(response.headers["location"])
    assert "3 notices cancelled: they will not be sent." in page.text
    assert [(await notice_row(tenant, i)).state for i in ids] == ["cancelled"] * 3

    again = await root.post(f"{URL}/{tenant.id}", {"action": "cancel", "state": "dead"})
    assert "nothing changed" in (await root.get(again.headers["location"])).text


async def test_without_the_csrf_token_nothing_changes(root):
    tenant = await factories.tenant()
    [notice] = await _dead(tenant, 1)
    response = await root.http.post(f"{URL}/{tenant.id}", data={"action": "cancel", "state": "dead"})
    assert response.status_code == 403
    assert (await notice_row(tenant, notice)).state == "dead"


@pytest.mark.parametrize("form", [
    {"action": "retry", "state": "sent"}, {"action": "cancel", "state": "ready"},
    {"action": "cancel", "state": "nonsense"}, {"action": "delete", "state": "dead"}, {},
])
async def test_bad_input_is_refused_and_changes_nothing(root, form):
    tenant = await factories.tenant()
    [notice] = await _dead(tenant, 1)
    response = await root.post(f"{URL}/{tenant.id}", form)
    assert response.status_code == 422
    assert (await notice_row(tenant, notice)).state == "dead"


async def test_an_unknown_tenant_or_a_non_integer_id_is_not_found(root):
    tenant = await factories.tenant()
    [notice] = await _dead(tenant, 1)
    for url in (f"{URL}/999999999", f"{URL}/abc", f"{URL}/{tenant.id}x"):
        response = await root.post(url, {"action": "cancel", "state": "dead"})
        assert response.status_code in (404, 405), (url, response.status_code)
    assert (await root.get(f"{URL}/999999999/confirm?state=dead&action=retry")).status_code == 404
    assert (await root.get(f"{URL}/{tenant.id}/confirm?state=sent&action=retry")).status_code == 400
    assert (await notice_row(tenant, notice)).state == "dead"


async def test_tenant_admins_are_refused(as_alice, cast):
    [notice] = await _dead(cast.tenant_a, 1)
    assert (await as_alice.get(URL)).status_code == 403
    assert (await as_alice.get(f"{URL}/{cast.tenant_a.id}/confirm?state=dead&action=retry")).status_code == 403
    response = await as_alice.post(f"{URL}/{cast.tenant_a.id}", {"action": "cancel", "state": "dead"})
    assert response.status_code == 403
    assert (await notice_row(cast.tenant_a, notice)).state == "dead"
