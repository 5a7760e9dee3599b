"""New-policy callbacks and the deadline watch as plain functions: the cooling-off deadline in
natural days (the receipt day not counted, a holiday end moved to the next working day when the
pack says so), a policy's fields checked, each product's checklist, the watch's stages, and the
pack refusing products that name unknown checks."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import msgspec
import pytest

from kefu.callbacks.policy import policies as rules
from kefu.callbacks.policy.pack import CallbackPack, load_callbacks, parse_callbacks
from kefu.callbacks.policy.quality import quality_for
from kefu.core.packs import PackError, load_pack, read_toml
from kefu.core.workdays import WorkCalendar
from kefu.settings import get_settings

CALENDAR = WorkCalendar(overrides={}, known_years=frozenset())
TODAY = date(2026, 3, 2)


def insurance() -> CallbackPack:
    return load_callbacks(get_settings().tenants_dir / "insurance")


@pytest.mark.parametrize(("received", "holiday_rule", "end"), [
    (date(2026, 3, 2), True, date(2026, 3, 17)),    # a Tuesday: 15 days after, the receipt day not counted
    (date(2026, 9, 16), False, date(2026, 10, 1)),  # National Day itself without the rule
    (date(2026, 9, 16), True, date(2026, 10, 8)),   # with it, the first working day after the holiday
    (date(2026, 2, 14), True, date(2026, 3, 2)),    # ends on a Monday: unchanged
])
def test_the_cooling_off_period_ends_on_its_last_natural_day(received: date, holiday_rule: bool, end: date):
    product = insurance().products["whole_life"]
    assert product.cooling_off_days == 15
    assert rules.cooling_off_end(product, received, CALENDAR, holiday_rule) == end


def test_a_product_sets_its_own_period():
    product = msgspec.structs.replace(insurance().products["whole_life"], cooling_off_days=10)
    assert rules.cooling_off_end(product, date(2026, 3, 2), CALENDAR, True) == date(2026, 3, 12)


def test_each_product_has_its_checklist_and_investment_products_warn_returns_are_not_guaranteed():
    pack = insurance()
    for code, product in pack.products.items():
        asked = [q["code"] for q in rules.questions(pack, code)]
        assert {"identity", "received", "signed", "cooling_off"} <= set(asked), code
        assert ("not_guaranteed" in asked) == product.investment, code
    assert rules.questions(pack, "no_such_product") == []
    first = rules.questions(pack, "participating")[0]
    assert first["text"].startswith("核实投保人身份") and first["text_en"].startswith("Policyholder's identity")


def test_a_no_answer_to_a_check_names_a_problem_cause_of_the_quality_pack():
    causes = {c.code for c in quality_for("insurance").causes}
    named = {c.cause for c in insurance().checks.values() if c.cause}
    assert named and named <= causes
    assert insurance().checks["signed"].cause == "not_signed"


def test_property_has_no_new_policy_callbacks_but_a_deadline_watch():
    pack = load_callbacks(get_settings().tenants_dir / "property")
    assert pack.products == {} and pack.new_policy_kind == ""
    assert pack.remind_days_before >= pack.escalate_days_before and pack.escalate_positions


GOOD = {"policy_no": "P2026-0001", "product": "whole_life", "holder_name": "张三", "holder_phone": "138 0013 8000",
        "received_on": "2026-02-27"}


def test_a_good_policy_is_read_by_code_or_by_name():
    pack = insurance()
    policy, errors = rules.check_policy(pack, GOOD, TODAY)
    assert errors == {} and policy is not None
    assert (policy.product, policy.holder_phone, policy.received_on) == ("whole_life", "13800138000", date(2026, 2, 27))
    for name in ("终身寿险", "whole life insurance"):
        assert rules.check_policy(pack, GOOD | {"product": name}, TODAY)[0].product == "whole_life"
    assert rules.check_policy(pack, GOOD | {"received_on": "2026/02/27 00:00:00"}, TODAY)[0] is not None


@pytest.mark.parametrize(("field", "value"), [
    ("policy_no", ""), ("policy_no", "P 1"), ("policy_no", "P" * 41), ("policy_no", "P<1>"),
    ("product", ""), ("product", "car"),
    ("holder_name", ""), ("holder_name", "张\x00三"), ("holder_name", "张" * 101),
    ("holder_phone", ""), ("holder_phone", "abc"), ("holder_phone", "¹²³⁴⁵⁶"), ("holder_phone", "123"), ("holder_phone", "1" * 31),
    ("received_on", ""), ("received_on", "2026-02-30"), ("received_on", "2026-03-03"),  # tomorrow
    ("received_on", (TODAY - timedelta(days=61)).isoformat()),
])
def test_a_bad_field_is_named(field: str, value: str):
    policy, errors = rules.check_policy(insurance(), GOOD | {field: value}, TODAY)
    assert policy is None and list(errors) == [field]


@pytest.mark.parametrize(("days_left", "reminded", "escalated", "stage"), [
    (5, False, False, ""), (4, False, False, ""),
    (3, False, False, "reminder"), (2, False, False, "reminder"), (2, True, False, ""),
    (1, False, False, "escalation"), (1, True, False, "escalation"), (0, True, False, "escalation"),
    (-3, True, False, "escalation"), (1, True, True, ""), (-1, True, True, ""),
])
def test_the_watch_reminds_then_escalates_once_each(days_left: int, reminded: bool, escalated: bool, stage: str):
    pack = insurance()  # remind 3 days before, escalate 1 day before
    assert (pack.remind_days_before, pack.escalate_days_before) == (3, 1)
    due = TODAY + timedelta(days=days_left)
    assert rules.watch_stage(due, TODAY, pack, reminded=reminded, escalated=escalated) == stage
    if stage:
        assert due <= rules.horizon(TODAY, pack)


def _raw() -> tuple[dict, set[str]]:
    folder = get_settings().tenants_dir / "insurance"
    raw = read_toml(folder / "callbacks.toml")
    assert isinstance(raw, dict)
    return raw, set(load_pack(folder).positions)


@pytest.mark.parametrize(("change", "key"), [
    (lambda r: r["products"][0].update(checks=["identity", "nope"]), "$.products[0].checks"),
    (lambda r: r["products"][0].update(cooling_off_days=0), "$.products[0].cooling_off_days"),
    (lambda r: r.update(new_policy_kind="nope"), "$.new_policy_kind"),
    (lambda r: r.update(checks=[]), "$.checks"),
    (lambda r: r["products"].append(dict(r["products"][0])), "$.products"),
    (lambda r: r.update(escalate_days_before=5), "$.escalate_days_before"),
    (lambda r: r.update(escalate_positions=["nobody"]), "$.escalate_positions"),
    (lambda r: r.update(products=[]), "$.products"),
])
def test_a_bad_pack_names_the_key(change, key: str):
    raw, positions = _raw()
    change(raw)
    with pytest.raises(PackError, match=key.replace("$", r"\$").replace("[", r"\[").replace("]", r"\]")):
        parse_callbacks(raw, str(Path("callbacks.toml")), positions)
