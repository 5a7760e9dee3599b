"""Tenant packs: the shipped ones load; a broken one fails naming its file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.core.packs import ADMIN_POSITION, PackError, all_packs, load_pack
from kefu.settings import get_settings

PACK_TOML = """\
kind = "insurance"
label = "保险公司"
label_en = "Insurance company"

[settings]
timezone = "Asia/Shanghai"

[[nav]]
label = "Home"
route = "tenant.home"

[[nav]]
label = "Audit log"
route = "audit.list"
permission = "audit.view"
"""

POSITIONS_TOML = """\
[[permissions]]
code = "tenant.view"
label = "查看工作台"
label_en = "View the workspace"

[[permissions]]
code = "audit.view"
label = "查看审计日志"
label_en = "View the audit log"

[[positions]]
code = "admin"
name = "租户管理员"
name_en = "Tenant administrator"
permissions = ["tenant.view", "audit.view"]

[[positions]]
code = "agent"
name = "坐席"
name_en = "Agent"
permissions = ["tenant.view"]
"""


def write_pack(tmp_path: Path, pack: str = PACK_TOML, positions: str = POSITIONS_TOML, folder: str = "insurance") -> Path:
    directory = tmp_path / folder
    directory.mkdir()
    (directory / "pack.toml").write_text(pack, encoding="utf-8")
    (directory / "positions.toml").write_text(positions, encoding="utf-8")
    return directory


def broken(tmp_path: Path, **kw: str) -> str:
    with pytest.raises(PackError) as err:
        load_pack(write_pack(tmp_path, **kw))
    message = str(err.value)
    assert "\n" not in message
    return message


# --- the shipped packs -------------------------------------------------------------------------


def test_both_shipped_packs_load():
    packs = all_packs()
    assert set(packs) == {"insurance", "property"}
    for kind, pack in packs.items():
        assert pack.kind == kind
        assert pack.label and pack.label_en
        assert pack.settings.timezone == "Asia/Shanghai"
        assert pack.settings.locale == "zh_CN"
        assert pack.nav, kind


@pytest.mark.parametrize("kind", ["insurance", "property"])
def test_shipped_pack_admin_holds_every_permission(kind):
    pack = load_pack(get_settings().tenants_dir / kind)
    assert ADMIN_POSITION in pack.positions
    assert set(pack.positions[ADMIN_POSITION].permissions) == set(pack.permissions)
    assert pack.permissions_of([ADMIN_POSITION]) == frozenset(pack.permissions)
    for position in pack.positions.values():
        assert set(position.permissions) <= set(pack.permissions), position.code
    for item in pack.nav:
        assert not item.permission or item.permission in pack.permissions


def test_a_valid_pack_loads(tmp_path):
    pack = load_pack(write_pack(tmp_path))
    assert list(pack.positions) == ["admin", "agent"]
    assert pack.permissions_of(["agent"]) == {"tenant.view"}
    assert pack.permissions_of(["agent", "unknown"]) == {"tenant.view"}
    assert pack.settings.locale == "zh_CN"  # default when the pack leaves it out


# --- broken packs ------------------------------------------------------------------------------


def test_wrong_type_names_file_and_key(tmp_path):
    message = broken(tmp_path, positions=POSITIONS_TOML.replace('code = "admin"', "code = 7"))
    assert "positions.toml" in message
    assert "$.positions[0].code" in message


def test_missing_field_names_file_and_key(tmp_path):
    message = broken(tmp_path, pack=PACK_TOML.replace('label_en = "Insurance company"\n', ""))
    assert "pack.toml" in message
    assert "label_en" in message


def test_unknown_field_is_rejected(tmp_path):
    message = broken(tmp_path, pack=PACK_TOML.replace("[settings]\n", '[settings]\ncolour = "red"\n'))
    assert "pack.toml" in message
    assert "colour" in message and "$.settings" in message


def test_unknown_permission_in_a_position(tmp_path):
    positions = POSITIONS_TOML.replace('permissions = ["tenant.view"]', 'permissions = ["tenant.view", "cake.eat"]')
    message = broken(tmp_path, positions=positions)
    assert "positions.toml" in message
    assert "$.positions[1].permissions" in message
    assert "cake.eat" in message


def test_missing_admin_position(tmp_path):
    message = broken(tmp_path, positions=POSITIONS_TOML.replace('code = "admin"', 'code = "boss"'))
    assert "positions.toml" in message
    assert "$.positions" in message and "admin" in message


def test_admin_missing_a_permission(tmp_path):
    positions = POSITIONS_TOML.replace(
        'permissions = ["tenant.view", "audit.view"]', 'permissions = ["tenant.view"]'
    )
    message = broken(tmp_path, positions=positions)
    assert "positions.toml" in message
    assert "$.positions[0].permissions" in message
    assert "audit.view" in message


def test_invalid_toml(tmp_path):
    message = broken(tmp_path, pack=PACK_TOML.replace('label = "保险公司"', "label = 保险公司"))
    assert "pack.toml" in message
    assert "TOML" in message and "line 2" in message


def test_unknown_nav_permission(tmp_path):
    message = broken(tmp_path, pack=PACK_TOML.replace('permission = "audit.view"', 'permission = "audit.edit"'))
    assert "pack.toml" in message
    assert "$.nav[1].permission" in message
    assert "audit.edit" in message


def test_kind_must_match_the_folder(tmp_path):
    message = broken(tmp_path, folder="property")
    assert str(tmp_path / "property" / "pack.toml") in message
    assert "$.kind" in message and "insurance" in message


def test_duplicate_position_code(tmp_path):
    message = broken(tmp_path, positions=POSITIONS_TOML.replace('code = "agent"', 'code = "admin"'))
    assert "$.positions[1].code" in message and "duplicate" in message


def test_duplicate_permission_code(tmp_path):
    message = broken(tmp_path, positions=POSITIONS_TOML.replace('code = "audit.view"', 'code = "tenant.view"'))
    assert "$.permissions[1].code" in message and "duplicate" in message


def test_missing_file(tmp_path):
    directory = write_pack(tmp_path)
    (directory / "positions.toml").unlink()
    with pytest.raises(PackError, match="positions.toml: file missing"):
        load_pack(directory)
