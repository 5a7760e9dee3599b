"""Channels, who may complain and customer kinds come from the packs (tenants/<kind>/), in each
kind's own words: a property centre's outside transfer is the 12345 hotline's, never a
regulator's; a code the pack does not list is refused naming the field; a pack listing a code
the product does not know fails loudly."""

from __future__ import annotations

import pytest

from kefu.complaints import services
from kefu.complaints.labels import channel_labels, relation_labels
from kefu.complaints.policy import policy_for
from kefu.complaints.policy.pack import PolicyError, parse_policy
from kefu.core.errors import FieldError
from kefu.customers.policy import kinds_for
from kefu.i18n import using_locale
from tests.complaints.services.conftest import complaint_data, make_desk


def test_each_kind_names_its_channels_and_capacities_in_its_own_words():
    insurance, property_ = policy_for("insurance"), policy_for("property")
    with using_locale("zh_CN"):
        assert channel_labels(insurance)("regulator") == "监管机构转办"
        assert channel_labels(property_)("regulator") == "12345 政务服务便民热线转办"
        assert "监管" not in "".join(channel_labels(property_)(c.code) for c in property_.channels)
        assert relation_labels(property_)("consumer") == "业主或住户本人"
    assert kinds_for("insurance") == ("policyholder", "insured", "beneficiary", "agent")
    assert kinds_for("property") == ("owner", "resident")


@pytest.mark.parametrize(("key", "code"), [("channels", "pigeon"), ("relations", "neighbour")])
def test_a_pack_listing_an_unknown_code_fails_naming_the_key(key, code):
    with pytest.raises(PolicyError, match=rf"\$\.{key}\[0\]\.code"):
        parse_policy({key: [{"code": code, "label": "x", "label_en": "x"}]}, "test pack")


async def test_a_channel_the_tenants_pack_does_not_list_is_refused():
    desk = await make_desk("property")
    from kefu.db import transaction
    from kefu.tenancy.tables import Tenant

    settings = {"complaint_policy": {"channels": [{"code": "hotline", "label": "服务热线", "label_en": "Hotline"}]}}
    async with transaction():
        await Tenant.update({Tenant.settings: settings}).where(Tenant.id == desk.tenant.id)
    desk.agent.tenant.settings = settings
    with pytest.raises(FieldError) as refused:
        await services.register_complaint(desk.agent, complaint_data(channel="fax", category="repair"))
    assert refused.value.field == "channel"
    made = await services.register_complaint(desk.agent, complaint_data(channel="hotline", category="repair"))
    assert made.channel == "hotline"
