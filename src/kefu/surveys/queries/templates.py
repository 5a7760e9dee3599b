"""Reads of survey templates: the packs' shipped questionnaires (tenants/<kind>/surveys/*.toml),
the tenant's own copies, and a stored template's definition and rules, checked. A broken pack
file fails loudly naming the file.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.packs import PackError
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.settings import get_settings
from kefu.surveys.policy import templates as policy
from kefu.surveys.policy.definition import (
    Definition,
    DefinitionError,
    ValidityRules,
    parse_definition,
    parse_validity,
)
from kefu.surveys.tables import SurveyTemplate


class PackTemplateFile(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    name_en: str = ""
    description: str = ""
    definition: dict[str, Any] = {}
    validity: dict[str, Any] = {}


class PackTemplate(msgspec.Struct, frozen=True):
    key: str  # "<kind>_<file stem>", stored as SurveyTemplate.pack_key
    name: str
    name_en: str
    description: str
    definition: Definition
    validity: ValidityRules

    def label(self) -> str:
        return self.name_en if i18n.current_locale() == "en" and self.name_en else self.name


def load_pack_template(path: Path, kind: str) -> PackTemplate:
    """One pack file, checked like any definition; PackError names the file and the fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        data = msgspec.convert(raw, PackTemplateFile)
        definition = parse_definition(data.definition)
        validity = parse_validity(data.validity)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None
    except msgspec.ValidationError as exc:
        raise PackError(f"{path}: {exc}") from None
    except DefinitionError as exc:
        raise PackError(f"{path}: {exc}") from None
    if not data.name.strip():
        raise PackError(f"{path}: $.name: empty")
    return PackTemplate(
        key=f"{kind}_{path.stem}", name=data.name.strip(), name_en=data.name_en.strip(),
        description=data.description.strip(), definition=definition, validity=validity,
    )


@cache
def _pack_templates(directory: Path, kind: str) -> tuple[PackTemplate, ...]:
    folder = directory / kind / "surveys"
    if not folder.is_dir():
        return ()
    return tuple(load_pack_template(p, kind) for p in sorted(folder.glob("*.toml")))


def pack_templates(kind: str) -> tuple[PackTemplate, ...]:
    """The templates the pack of this tenant kind ships, in file-name order."""
    return _pack_templates(get_settings().tenants_dir, kind)


def pack_template(kind: str, key: str) -> PackTemplate:
    found = next((t for t in pack_templates(kind) if t.key == key), None)
    if found is None:
        raise FieldError("pack_key", "Choose a template from the list.")
    return found


async def list_templates(tenant_id: int) -> list[SurveyTemplate]:
    """The tenant's templates, in use first, newest first."""
    return await scoped_objects(SurveyTemplate, tenant_id).order_by(
        SurveyTemplate.is_archived
    ).order_by(SurveyTemplate.updated_at, ascending=False).order_by(SurveyTemplate.id, ascending=False)


async def get_template(tenant_id: int, template_id: int) -> SurveyTemplate:
    return await get_in_tenant(SurveyTemplate, tenant_id, template_id)


def definition_of(row: SurveyTemplate) -> Definition:
    """The stored definition (JSON text or already a dict), checked."""
    return parse_definition(loaded(row.definition))


def validity_of(row: SurveyTemplate) -> ValidityRules:
    return parse_validity(loaded(row.validity))


def loaded(value: Any) -> Any:
    return json.loads(value or "{}") if isinstance(value, str) else (value or {})




def allowed(row: SurveyTemplate, *, can_manage: bool) -> frozenset[str]:
    """The buttons the list and the editor offer for this template."""
    return policy.template_actions(bool(row.is_archived), can_manage=can_manage)


def question_count(row: SurveyTemplate) -> int:
    try:
        return len(definition_of(row).questions())
    except DefinitionError:
        return 0
