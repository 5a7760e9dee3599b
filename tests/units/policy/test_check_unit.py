"""One unit's fields checked: each bad value is an error on its field; good ones normalised."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.units.policy import check_rows, check_unit, units_pack

PACK = units_pack("property")
GOOD = {"building": "3栋", "entrance": "2单元", "room": "1501室", "area": "89.5㎡", "use": "住宅"}


def test_a_good_unit_is_normalised():
    data, errors = check_unit(GOOD, PACK)
    assert errors == {}
    assert (data.building, data.floor, data.area, data.use) == ("3栋", 15, Decimal("89.5"), "residential")


@pytest.mark.parametrize(("field", "value"), [
    ("building", ""), ("building", "x" * 51), ("building", "3栋\x00"), ("room", ""),
    ("room", "15 01!"), ("entrance", "二"), ("floor", "十五"), ("floor", "１５"), ("floor", "999"),
    ("area", "abc"), ("area", "0"), ("area", "89.555"), ("area", "８９"), ("area", "-3"),
    ("use", "office"), ("notes", "x" * 2001), ("notes", "a\x07b"),
])
def test_a_bad_value_is_an_error_on_its_field(field, value):
    _, errors = check_unit({**GOOD, field: value}, PACK)
    assert field in errors, (field, value)


def test_an_insurer_has_no_uses():
    _, errors = check_unit(GOOD, units_pack("insurance"))
    assert "use" in errors


def test_rows_list_every_error_and_a_unit_given_twice():
    rows = [
        {"row": 2, "values": GOOD},
        {"row": 3, "values": {**GOOD, "room": "1502", "area": "x"}},
        {"row": 4, "values": {**GOOD, "room": "1501"}},
    ]
    errors = check_rows(rows, PACK)
    assert [(e["row"], e["field"]) for e in errors] == [(3, "area"), (4, "room")]
    assert errors[1]["vars"] == {"first": "2"}
