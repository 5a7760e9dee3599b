from datetime import UTC, date, datetime, timedelta

import pytest

from kefu.core import clock
from kefu.notifications import delivery
from tests import factories as platform
from tests.complaints.reports.support import pdf_fonts
from tests.notifications.factories import letter_id, owe
from tests.notifications.support import notice_row


async def test_a_letter_becomes_a_pdf_with_embedded_cjk_glyphs_ready_to_post(cast):
    notice_id = await owe(cast.tenant_a, channel="letter")

    assert await delivery.deliver(cast.tenant_a.id, notice_id) == "ready"

    row = await notice_row(cast.tenant_a, notice_id)
    assert row.sent_at is None  # not sent until it is posted
    assert bytes(row.document).startswith(b"%PDF")
    assert any(name.endswith("Kefu-Sans-SC") for name in pdf_fonts(bytes(row.document)))  # kefu.core.pdf


async def test_the_letter_pdf_downloads_only_for_the_tenant_staff(as_alice, as_bob, as_carol, cast):
    notice_id = await letter_id(cast.tenant_a)
    url = f"/t/{cast.tenant_a.slug}/notices/{notice_id}/letter.pdf"

    mine = await as_alice.get(url)
    assert mine.status_code == 200
    assert mine.headers["content-type"] == "application/pdf"
    assert mine.content.startswith(b"%PDF")
    assert "attachment" in mine.headers["content-disposition"]
    assert (await as_bob.get(url)).status_code == 403  # staff of the tenant without notices.manage
    assert (await as_carol.get(url)).status_code == 404  # another tenant's admin
    assert (await as_carol.get(f"/t/{cast.tenant_b.slug}/notices/{notice_id}/letter.pdf")).status_code == 404


async def test_a_letter_not_made_yet_has_no_pdf(as_alice, cast):
    notice_id = await owe(cast.tenant_a, channel="letter")
    response = await as_alice.get(f"/t/{cast.tenant_a.slug}/notices/{notice_id}/letter.pdf")
    assert response.status_code == 404


async def test_marking_a_letter_posted_sends_it_on_that_date(as_alice, cast):
    notice_id = await letter_id(cast.tenant_a)
    today = clock.today_in(cast.tenant_a.timezone)

    response = await as_alice.post(
        f"/t/{cast.tenant_a.slug}/notices/{notice_id}/posted", {"posted_on": today.isoformat()}
    )

    assert response.status_code == 302
    row = await notice_row(cast.tenant_a, notice_id)
    assert row.state == "sent" and row.sent_on == today and row.sent_at is not None
    again = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/{notice_id}/posted", {"posted_on": today.isoformat()})
    assert again.status_code == 422 and 'id="state-error"' in again.text


async def test_a_posting_date_in_the_future_or_malformed_is_422_naming_the_field(as_alice, cast):
    notice_id = await letter_id(cast.tenant_a)
    url = f"/t/{cast.tenant_a.slug}/notices/{notice_id}/posted"
    tomorrow = clock.today_in(cast.tenant_a.timezone) + timedelta(days=1)

    for value in (tomorrow.isoformat(), "2026-13-45", ""):
        response = await as_alice.post(url, {"posted_on": value})
        assert response.status_code == 422, (value, response.headers.get("location"))
        assert 'id="posted_on-error"' in response.text
    assert (await notice_row(cast.tenant_a, notice_id)).state == "ready"


async def test_a_letter_posted_on_an_earlier_day_is_sent_that_day(as_alice, cast):
    with clock.frozen(datetime(2026, 12, 1, 1, 0, tzinfo=UTC)):
        notice_id = await owe(cast.tenant_a, channel="letter", due_on=date(2026, 12, 3))
        await delivery.deliver(cast.tenant_a.id, notice_id)
    with clock.frozen(datetime(2026, 12, 8, 1, 0, tzinfo=UTC)):
        response = await as_alice.post(
            f"/t/{cast.tenant_a.slug}/notices/{notice_id}/posted", {"posted_on": "2026-12-02"}
        )
    assert response.status_code == 302
    row = await notice_row(cast.tenant_a, notice_id)
    assert row.sent_on == date(2026, 12, 2)
    assert row.sent_at.astimezone(clock.ZoneInfo("Asia/Shanghai")).date() == date(2026, 12, 2)


@pytest.mark.parametrize(("kind", "channel", "letters"), [
    ("decision_notice", "sms", 1),  # an SMS cannot carry the decision
    ("decision_notice", "email", 0),
    ("decision_notice", "letter", 1),  # the letter itself, not a second one
    ("acceptance_notice", "sms", 0),
])
async def test_an_sms_that_cannot_carry_the_notice_owes_a_letter_too(kind, channel, letters):
    tenant = await platform.tenant()
    before = await _letters(tenant)
    await owe(tenant, channel=channel, kind=kind, unique_key="k:1")
    with pytest.raises(AssertionError):  # owing twice writes once (the factory insists on a new row)
        await owe(tenant, channel=channel, kind=kind, unique_key="k:1")
    assert await _letters(tenant) - before == letters


def test_which_kinds_need_a_letter_with_an_sms():
    from kefu.notifications.shipped import default_kinds, needs_letter_with_sms

    assert [k for k in default_kinds() if needs_letter_with_sms(k)] == ["decision_notice"]


async def _letters(tenant) -> int:
    from kefu.db import transaction
    from kefu.notifications.tables import Notice

    async with transaction(tenant.id, write=False):
        return await Notice.count().where(Notice.tenant == tenant.id, Notice.channel == "letter")
