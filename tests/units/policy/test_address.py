"""The unit address parser: every way the desk writes a unit, as a table."""

from __future__ import annotations

import pytest

from kefu.units import policy
from kefu.units.policy import Address, address_key, building_code, floor_of, parse_address


@pytest.mark.parametrize(("text", "wanted"), [
    ("3-2-1501", Address("3", "2", "1501")),
    ("3栋2单元1501", Address("3", "2", "1501")),
    ("3栋1501", Address("3", "", "1501")),
    ("3幢1501室", Address("3", "", "1501")),
    ("3号楼2单元1501室", Address("3", "2", "1501")),
    ("3栋2单元-1501", Address("3", "2", "1501")),
    ("3 栋 2 单元 1501", Address("3", "2", "1501")),
    ("３－２－１５０１", Address("3", "2", "1501")),  # full-width, as Chinese IMEs type
    ("03-02-1501", Address("3", "2", "1501")),
    ("3/2/1501", Address("3", "2", "1501")),
    ("3-1501", Address("3", "", "1501")),
    ("3#1501", Address("3", "", "1501")),
    ("A座1501", Address("a", "", "1501")),
    ("a座-2-1501", Address("a", "2", "1501")),
    ("1501", None),  # a room alone, or a phone's last four digits: the search tries both
    ("13800138000", None),
    ("张三", None),
    ("", None),
    ("3栋", None),
    ("3-2-1501-9", None),
])
def test_parse_address(text, wanted):
    assert parse_address(text) == wanted


@pytest.mark.parametrize(("name", "code"), [
    ("3栋", "3"), ("3 幢", "3"), ("３号楼", "3"), ("03", "3"), ("A座", "a"), ("紫荆苑", "紫荆苑"),
    ("3#", "3"), ("", ""),
])
def test_building_code(name, code):
    assert building_code(name) == code


def test_the_parser_and_the_stored_key_agree():
    for text in ("3-2-1501", "3栋2单元1501室", "３号楼2单元1501"):
        a = parse_address(text)
        assert f"{a.building}|{a.entrance}|{a.room}" == address_key("3栋", "2单元", "1501室")


@pytest.mark.parametrize(("room", "floor"), [
    ("1501", 15), ("302", 3), ("0101", 1), ("1501室", 15), ("15", None), ("A01", None), ("12345", None),
])
def test_floor_of_room(room, floor):
    assert floor_of(room) == floor


@pytest.mark.parametrize(("query", "written", "found"), [
    ("3-2-1501", "3栋2单元1501", True),
    ("3栋2单元1501", "3-2-1501", True),
    ("3号楼2单元1501室", "3幢2单元1501", True),
    ("a座-1501", "A座1501", True),
    ("3栋1501", "3-1501", True),
    ("3-2-1501", "3-2-1502", False),
    ("3栋1501", "3栋2单元1501", False),  # without its entrance the query names another unit
    ("张三", "张三", False),  # not a unit
])
def test_address_spellings_cover_the_ways_a_unit_is_written(query, written, found):
    assert (written in policy.address_spellings(query)) is found
