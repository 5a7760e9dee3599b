"""Words that differ by kind come from the pack's [wording]: every pack gives every key in both
languages; a property centre's words name the 12345 hotline and head office, never a
regulator; a key the product does not know fails loudly; a policy made in code reads the
product's default words."""

from __future__ import annotations

import pytest

from kefu.complaints.labels import deadline_labels, field_labels, wording
from kefu.complaints.policy import WORDING_KEYS, ComplaintPolicy, policy_for
from kefu.complaints.policy.pack import PolicyError, parse_policy
from kefu.i18n import using_locale


@pytest.mark.parametrize("kind", ["insurance", "property"])
def test_every_pack_gives_every_word_in_both_languages(kind):
    policy = policy_for(kind)
    assert set(policy.wording) == set(WORDING_KEYS)
    assert all(w.label and w.label_en for w in policy.wording.values())


def test_a_property_centre_reads_the_hotline_where_an_insurer_reads_the_regulator():
    insurance, property_ = policy_for("insurance"), policy_for("property")
    with using_locale("zh_CN"):
        assert wording(insurance)("regulator_register") == "监管转办投诉登记"
        assert wording(property_)("regulator_register") == "12345 热线转办登记"
        assert deadline_labels(property_)("regulator_report") == "书面回复 12345 热线"
        assert deadline_labels(property_)("decision") == deadline_labels(insurance)("decision")
        assert field_labels(property_)("regulator_report_sent_on") == "书面回复 12345 热线日期"
        words = "".join(wording(property_)(key) for key in WORDING_KEYS)
    with using_locale("en"):
        words += "".join(wording(property_)(key) for key in WORDING_KEYS)
        assert wording(property_)("governance_filed_day") % {"day": "1 May"} == "Filed with head office on 1 May"
    for term in ("监管", "保险", "保单", "regulator", "policy", "insur"):
        assert term not in words.lower(), term


def test_a_policy_made_in_code_reads_the_default_words():
    with using_locale("en"):
        assert wording(ComplaintPolicy())("regulator_report") == "Report to the regulator"


def test_an_unknown_word_key_fails_naming_it():
    with pytest.raises(PolicyError, match=r"\$\.wording\.hotline_reply"):
        parse_policy({"wording": {"hotline_reply": {"label": "x", "label_en": "x"}}}, "test pack")


@pytest.mark.parametrize(("locale", "data", "expected"), [
    ("zh_CN", {"report_name": "书面回复 12345 热线"}, "书面回复 12345 热线期限"),
    ("en", {"report_name_en": "Written reply to the 12345 hotline"}, "The Written reply to the 12345 hotline deadline"),
    ("zh_CN", {}, "向监管单位书面报告期限"),  # a notice owed before the pack named it
])
def test_the_staff_reminder_names_the_report_in_the_packs_words(locale, data, expected):
    from kefu.notifications.shipped import default_wording
    from kefu.notifications.templating import render_wording

    context = {"tenant_name": "翠湖花园", "recipient_name": "陈静", "complaint_number": "KS2026-000016",
               "subject": "漏水", "deadline": "regulator_report", "due_on": "2026-12-10", "stage": "before",
               "today": "2026-12-06", "paused_since": None, **data}
    wording = default_wording("deadline_reminder", locale, "email")
    assert wording is not None
    assert expected in render_wording(wording, context, locale).body
