"""Pure rules: the state machine, the not-accepted grounds, repeat detection, the deadline the
sweep watches, and the policy files."""


import pytest

from kefu.complaints.policy import (
    GROUNDS,
    OPEN_STATUSES,
    STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    ComplaintPolicy,
    Party,
    PolicyError,
    PriorComplaint,
    allowed,
    find_repeat_matches,
    format_number,
    load_policy,
    next_status,
    parse_policy,
    policy_for,
    same_party,
)
from kefu.settings import get_settings


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        ("registered", "request_materials", "materials_incomplete"),
        ("registered", "complete_materials", "under_review"),
        ("materials_incomplete", "complete_materials", "under_review"),
        ("under_review", "accept", "accepted"),
        ("under_review", "not_accept", "not_accepted"),
        ("under_review", "transfer_internal", "transferred_internal"),
        ("under_review", "transfer_out", "transferred_out"),
        ("under_review", "merge", "merged"),
        ("accepted", "assign", "investigating"),
        ("investigating", "assign", "investigating"),
        ("investigating", "extend", "investigating"),
        ("investigating", "pause", "investigating"),
        ("investigating", "decide", "decided"),
        ("decided", "close", "closed"),
        ("accepted", "withdraw", "withdrawn"),
    ],
)
def test_allowed_transitions(status, action, after):
    assert allowed(status, action)
    assert next_status(status, action) == after


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("registered", "accept"),
        ("materials_incomplete", "request_materials"),
        ("accepted", "decide"),  # a handler investigates first
        ("investigating", "close"),  # decided first
        ("decided", "withdraw"),
        ("decided", "extend"),
        ("accepted", "pause"),
        ("registered", "no_such_action"),
    ],
)
def test_refused_transitions(status, action):
    assert not allowed(status, action)
    with pytest.raises(ValueError):
        next_status(status, action)


def test_terminal_statuses_allow_nothing_but_the_regulator_report():
    for status in TERMINAL_STATUSES:
        assert [a for a in TRANSITIONS if allowed(status, a)] in (
            [], ["report_to_regulator"]
        ), status
    assert set(STATUSES) == set(OPEN_STATUSES) | set(TERMINAL_STATUSES)
    targets = {t for _, t in TRANSITIONS.values() if t}
    assert set(STATUSES) - {"registered"} <= targets | {"registered"}


def test_grounds_cover_art_14_and_15_with_both_languages():
    assert set(GROUNDS) == {"a14_2", "a14_4", "a15_1", "a15_2", "a15_3"}
    for ground in GROUNDS.values():
        assert ground.label and ground.label_en and ground.article.startswith("A art. 1")


def party(**over) -> Party:
    base = {"name": "张三", "phone": "13800138000", "email": "zhang@example.test",
            "subject": "理赔款未到账", "customer_ref": "P-1"}
    return Party(**{**base, **over})


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ({}, True),
        ({"name": "李四", "email": "", "phone": "+86 138-0013-8000"}, True),  # phone only
        ({"name": "李四", "phone": "", "email": "ZHANG@example.test "}, True),  # email only
        ({"phone": "", "email": ""}, True),  # the name
        ({"customer_ref": "", "subject": "理赔款 未到账！"}, True),  # subject, ignoring spacing
        ({"customer_ref": "P-2", "subject": "营业厅态度差"}, False),  # another matter
        ({"name": "李四", "phone": "13900000000", "email": "li@example.test"}, False),
    ],
)
def test_same_party(other, same):
    assert same_party(party(), party(**other)) is same


def test_repeat_matches_by_status():
    prior = [
        PriorComplaint(1, "TS2026-000001", "investigating", party()),
        PriorComplaint(2, "TS2026-000002", "closed", party()),
        PriorComplaint(3, "TS2026-000003", "under_review", party()),
        PriorComplaint(4, "TS2026-000004", "withdrawn", party()),
        PriorComplaint(5, "TS2026-000005", "investigating", party(customer_ref="X", subject="别的")),
    ]
    got = [(m.complaint_id, m.kind, m.ground) for m in find_repeat_matches(party(), prior)]
    assert got == [(1, "open", "a15_2"), (2, "decided", "a15_3"), (3, "open", "")]


def test_complaint_numbers():
    assert format_number("TS", 2026, 123) == "TS2026-000123"


def test_the_insurance_pack_policy_is_the_regulation():
    policy = policy_for("insurance")
    defaults = ComplaintPolicy()
    assert (policy.materials_notice, policy.acceptance_notice, policy.decision) == (
        defaults.materials_notice, defaults.acceptance_notice, defaults.decision
    )
    assert (policy.extension_steps, policy.max_extensions) == ([15, 30], 2)
    assert policy.appraisal_pause_allowed and not policy.major_report_required


def test_the_property_pack_policy_has_the_major_complaint_duty():
    policy = load_policy(get_settings().tenants_dir / "property")
    assert policy.major_report_required and policy.number_prefix == "KS"
    assert "repair" in {c.code for c in policy.categories}


def test_tenant_settings_override_the_pack():
    policy = policy_for("insurance", '{"complaint_policy": {"decision": {"days": 10}}}')
    assert (policy.decision.days, policy.decision.unit) == (10, "natural")


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[decision]\ndays = "five"\nunit = "natural"\nruns_from = "received"', "$.decision.days"),
        ('[decision]\ndays = 15\nunit = "lunar"\nruns_from = "received"', "$.decision.unit"),
        ('[decision]\ndays = 15\nunit = "natural"\nruns_from = "closed"', "$.decision.runs_from"),
        ("max_extensions = 3", "$.max_extensions"),
        ("extension_steps = [0]", "$.extension_steps"),
        ("surprise = 1", "surprise"),
        ('number_prefix = "T-S"', "$.number_prefix"),
        ('[[categories]]\ncode = "a"\nlabel = "A"\nlabel_en = "A"\n'
         '[[categories]]\ncode = "a"\nlabel = "B"\nlabel_en = "B"', "$.categories[1].code"),
        ("days = [", "not valid TOML"),
    ],
)
def test_a_broken_policy_file_names_the_file_and_key(tmp_path, toml, key):
    (tmp_path / "complaint_policy.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_policy(tmp_path)
    assert str(tmp_path / "complaint_policy.toml") in str(error.value)
    assert key in str(error.value)


def test_parse_policy_names_the_source():
    with pytest.raises(PolicyError, match="tenant settings"):
        parse_policy({"reminder_days_before": -1}, "tenant settings")


@pytest.mark.parametrize("kind", ["insurance", "property"])
def test_the_senior_positions_are_positions_of_the_pack(kind):
    from kefu.core.packs import get_pack

    senior = policy_for(kind).senior_positions
    assert senior and set(senior) <= set(get_pack(kind).positions)
