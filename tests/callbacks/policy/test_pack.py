"""The callbacks packs: art. 24's five kinds for insurers, the property pack's own; each method
owned by the position art. 22 names; bad data refused naming the key."""

from __future__ import annotations

import pytest

from kefu.callbacks.policy.pack import callbacks_for, parse_callbacks
from kefu.core.packs import PackError

POSITIONS = {"agent", "sales", "cs_manager"}
GOOD = {
    "default_methods": ["phone", "online"], "complaint_followup_kind": "k1",
    "kinds": [{"code": "k1", "name": "甲", "name_en": "A"}],
    "methods": [{"code": "phone", "position": "agent"}, {"code": "online", "position": "cs_manager"}],
}


def test_insurance_pack_follows_articles_22_and_24():
    pack = callbacks_for("insurance")
    assert set(pack.kinds) == {"service_satisfaction", "fraudulent_sales", "complaint_handling",
                               "risk_management", "consumer_protection"}
    assert {m: pack.position_of(m) for m in pack.methods} == {"phone": "agent", "onsite": "sales",
                                                              "online": "cs_manager"}
    assert pack.complaint_followup_kind == "complaint_handling"


def test_property_pack_has_its_own_kinds_and_positions():
    pack = callbacks_for("property")
    assert "fraudulent_sales" not in pack.kinds and "repair_followup" in pack.kinds
    assert pack.position_of("phone") == "front_desk"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"default_methods": ["phone", "fax"]}, "default_methods"),
        ({"methods": [{"code": "fax", "position": "agent"}]}, "methods[0].code"),
        ({"methods": [{"code": "phone", "position": "nobody"}]}, "methods[0].position"),
        ({"complaint_followup_kind": "nope"}, "complaint_followup_kind"),
        ({"attempt_limit": 0}, "attempt_limit"),
        ({"calling_start": "21:00", "calling_end": "08:00"}, "calling_end"),
        ({"calling_start": "nine"}, "calling_start"),
        ({"calling_days": [0]}, "calling_days"),
    ],
)
def test_bad_pack_data_is_refused_naming_the_key(change, key):
    with pytest.raises(PackError, match=key.replace("[", r"\[").replace("]", r"\]")):
        parse_callbacks(GOOD | change, "callbacks.toml", POSITIONS)
