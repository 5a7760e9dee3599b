"""退订: the invitee's SMS carries the opt-out line, and the survey page's link withdraws their
consent to be contacted, recorded with its time; complaint notices carry no such line."""

from __future__ import annotations

import pytest

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.customers.services import withdraw_consent
from kefu.customers.tables import Customer
from kefu.db import transaction
from kefu.notifications.shipped import default_kinds, with_opt_out
from tests import factories


@pytest.mark.parametrize(("kind", "locale", "carries"), [
    ("survey_invitation", "zh_CN", "回T退订"), ("survey_reminder", "zh_CN", "回T退订"),
    ("survey_invitation", "en", "Reply T to unsubscribe"),
    ("decision_notice", "zh_CN", None), ("acceptance_notice", "zh_CN", None),  # statutory: none
])
def test_which_sms_carry_the_opt_out_line(kind, locale, carries):
    text = with_opt_out(kind, locale, "正文")
    if carries is None:
        assert text == "正文"
    else:
        assert text.startswith("正文") and text.endswith(default_kinds()[kind].opt_out[locale]) and carries in text
        assert with_opt_out(kind, locale, text) == text  # never twice


async def _customer(tenant, consent=True):
    row = Customer(tenant=tenant.id, name="业主丙", phone="13800000009", consent_contact=consent)
    async with transaction(tenant.id):
        await row.save()
    return row


async def _consent(tenant, customer_id):
    async with transaction(tenant.id, write=False):
        return await scoped(Customer, tenant.id, Customer.consent_contact, Customer.consent_withdrawn_at).where(
            Customer.id == customer_id).first()


async def test_withdrawing_consent_records_its_time_once():
    tenant = await factories.tenant(kind="property")
    c = await _customer(tenant)
    assert await withdraw_consent(tenant.id, c.id, via="survey_link") is True
    row = await _consent(tenant, c.id)
    assert row["consent_contact"] is False and row["consent_withdrawn_at"] is not None
    assert abs((row["consent_withdrawn_at"] - clock.now()).total_seconds()) < 60
    assert await withdraw_consent(tenant.id, c.id, via="survey_link") is False
    other = await factories.tenant(kind="property")
    assert await withdraw_consent(other.id, c.id, via="survey_link") is False  # not the other tenant's


async def test_the_survey_page_link_withdraws_the_invitees_consent(client, estate):
    from tests.surveys import factories as sf
    from tests.surveys.public.conftest import hidden_fields, url

    c = await _customer(estate)
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    async with transaction(estate.id):
        await type(invite).update({type(invite).customer: c.id}).where(type(invite).id == invite.id)

    page = await client.get(url(estate, invite.token))
    assert 'id="opt-out-link"' in page.text
    confirm = await client.get(url(estate, invite.token, "/opt-out"))
    assert confirm.status_code == 200 and (await _consent(estate, c.id))["consent_contact"] is True  # GET changes nothing
    done = await client.http.post(url(estate, invite.token, "/opt-out"), data=hidden_fields(confirm.text))
    assert done.status_code == 200 and 'id="opt-out-done"' in done.text
    row = await _consent(estate, c.id)
    assert row["consent_contact"] is False and row["consent_withdrawn_at"] is not None


async def test_an_invitation_without_a_customer_or_an_unknown_token_has_no_opt_out(client, estate):
    from tests.surveys import factories as sf
    from tests.surveys.public.conftest import url

    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    assert 'id="opt-out-link"' not in (await client.get(url(estate, invite.token))).text
    assert (await client.get(url(estate, invite.token, "/opt-out"))).status_code == 404
    assert (await client.get(url(estate, "NoSuchToken0123456789", "/opt-out"))).status_code == 404


async def test_an_opt_out_token_under_another_tenant_is_a_404_and_withdraws_nothing(client, estate):
    from tests.surveys import factories as sf
    from tests.surveys.public.conftest import hidden_fields, url

    c = await _customer(estate)
    invite = await sf.invitation(estate, await sf.survey_round(estate))
    async with transaction(estate.id):
        await type(invite).update({type(invite).customer: c.id}).where(type(invite).id == invite.id)
    other = await factories.tenant(kind="property")
    assert (await client.get(url(other, invite.token, "/opt-out"))).status_code == 404
    own = await client.get(url(estate, invite.token, "/opt-out"))
    posted = await client.http.post(url(other, invite.token, "/opt-out"), data=hidden_fields(own.text))
    assert posted.status_code == 404
    assert (await _consent(estate, c.id))["consent_contact"] is True
