"""The message after assigning a handler says what happened to the email telling them."""

from __future__ import annotations

import pytest

from kefu.complaints import services
from tests.complaints.ui.support import register
from tests.notifications.support import use_smtp


async def _assign_and_read_message(office) -> str:
    c = await register(await office.ctx("agent"), materials_complete=True)
    await services.review_complaint(await office.ctx("head"), c.id, outcome="accept")
    client = await office.client("head")
    response = await client.post(office.url(f"/{c.id}/assign"), {"handler": str(office.users["handler"].id)})
    assert response.status_code == 303
    return (await client.get(response.headers["location"])).text


@pytest.mark.parametrize(("smtp_host", "said", "never"), [
    (None, "email is not configured, so they have not been told yet", "was told by email"),
    ("127.0.0.1", "an email to them is queued", "not configured"),
])
async def test_the_assignment_message_says_what_happened_to_the_email(office, monkeypatch, smtp_host, said, never):
    use_smtp(monkeypatch, smtp_host)
    page = await _assign_and_read_message(office)
    assert said in page and never not in page
