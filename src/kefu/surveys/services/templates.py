"""Survey template changes: copy a pack's questionnaire, start a blank one, edit, duplicate,
archive and restore.

Every definition and validity rule set passes kefu.surveys.policy.definition.parse_* on its way
in, so a template in the database is always one a round can freeze. Each change leaves an audit
event in its own transaction (a savepoint inside the request's).
"""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock, forms
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.db import transaction
from kefu.surveys.policy.definition import (
    Definition,
    ValidityRules,
    parse_definition,
    parse_validity,
    to_builtins,
    to_json,
)
from kefu.surveys.queries.templates import (
    definition_of,
    get_template,
    loaded,
    pack_template,
    pack_templates,
    validity_of,
)
from kefu.surveys.tables import SurveyTemplate

MANAGE = "surveys.manage"
NAME_MAX = 200
DESCRIPTION_MAX = 2000


def _snapshot(row: SurveyTemplate) -> dict[str, Any]:
    return {
        "name": row.name, "description": row.description, "pack_key": row.pack_key,
        "is_archived": row.is_archived, "definition": loaded(row.definition),
        "validity": loaded(row.validity),
    }


def _check_name(name: str, description: str) -> tuple[str, str]:
    name, problem = forms.clean_text(name or "", max_length=NAME_MAX, required=True)
    if problem:
        raise FieldError("name", problem, max=NAME_MAX)
    description, problem = forms.clean_text(description or "", max_length=DESCRIPTION_MAX, multiline=True)
    if problem:
        raise FieldError("description", problem, max=DESCRIPTION_MAX)
    return name, description


async def _insert(tenant_id: int, actor_id: int | None, *, name: str, description: str,
                  definition: Definition, validity: ValidityRules, pack_key: str = "",
                  action: str = "survey_template.create", source_id: int | None = None) -> SurveyTemplate:
    now = clock.now()
    row = SurveyTemplate(
        tenant=tenant_id, name=name, description=description, pack_key=pack_key,
        definition=to_json(definition), validity=to_json(validity), created_by=actor_id,
        created_at=now, updated_at=now,
    )
    async with transaction(tenant_id):
        await row.save()
        after = _snapshot(row) | ({"copied_from": source_id} if source_id else {})
        await audit.record(tenant_id=tenant_id, actor_id=actor_id, action=action,
                           object_type="survey_template", object_id=row.id, after=after)
    return row


async def copy_pack_template(ctx: TenantContext, pack_key: str) -> SurveyTemplate:
    """A tenant copy of one of its pack's templates, ready to edit."""
    ctx.require(MANAGE)
    source = pack_template(ctx.tenant.kind, pack_key)
    return await _insert(
        ctx.tenant_id, ctx.user.id, name=source.name, description=source.description,
        definition=source.definition, validity=source.validity, pack_key=source.key,
        action="survey_template.copy_pack",
    )


def blank_definition() -> Definition:
    """A new questionnaire: one section with the overall-satisfaction question (a definition
    needs at least one question), for staff to build on."""
    return parse_definition({"sections": [{"key": "s1", "title": i18n.gettext("Questions"), "questions": [
        {"key": "overall", "type": "rating", "required": True, "topic": "overall",
         "title": i18n.gettext("Overall, how satisfied are you with our service?")},
    ]}]})


async def create_blank_template(ctx: TenantContext, name: str, description: str = "") -> SurveyTemplate:
    ctx.require(MANAGE)
    name, description = _check_name(name, description)
    return await _insert(ctx.tenant_id, ctx.user.id, name=name, description=description,
                         definition=blank_definition(), validity=ValidityRules())


async def duplicate_template(ctx: TenantContext, template_id: int) -> SurveyTemplate:
    ctx.require(MANAGE)
    source = await get_template(ctx.tenant_id, template_id)
    name = i18n.gettext("%(name)s (copy)", name=source.name)[:NAME_MAX]
    return await _insert(
        ctx.tenant_id, ctx.user.id, name=name, description=source.description,
        definition=definition_of(source), validity=validity_of(source), pack_key=source.pack_key,
        action="survey_template.duplicate", source_id=source.id,
    )


async def update_template(ctx: TenantContext, template_id: int, *, name: str, description: str,
                          definition: Any, validity: Any) -> SurveyTemplate:
    """Save new wording and rules. `definition` and `validity` may be structs, dicts or JSON;
    they pass parse_* (DefinitionError names the question). Running rounds keep their frozen
    copy, so an edit never changes what a round already asks."""
    ctx.require(MANAGE)
    name, description = _check_name(name, description)
    checked = parse_definition(to_builtins(definition) if isinstance(definition, Definition) else definition)
    rules = parse_validity(to_builtins(validity) if isinstance(validity, ValidityRules) else validity)
    async with transaction(ctx.tenant_id):
        row = await get_template(ctx.tenant_id, template_id)
        before = _snapshot(row)
        row.name, row.description = name, description
        row.definition, row.validity = to_json(checked), to_json(rules)
        row.updated_at = clock.now()
        await row.save()
        after = _snapshot(row)
        changed = [k for k in after if after[k] != before[k]]
        if changed:
            await audit.record(
                tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="survey_template.update",
                object_type="survey_template", object_id=row.id,
                before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
            )
    return row


async def archive_template(ctx: TenantContext, template_id: int, archived: bool = True) -> SurveyTemplate:
    """Archive (or bring back) a template: archived ones are not offered for new rounds; rounds
    already made from it keep their own copy."""
    ctx.require(MANAGE)
    async with transaction(ctx.tenant_id):
        row = await get_template(ctx.tenant_id, template_id)
        if row.is_archived != archived:
            row.is_archived, row.updated_at = archived, clock.now()
            await row.save()
            await audit.record(
                tenant_id=ctx.tenant_id, actor_id=ctx.user.id,
                action="survey_template.archive" if archived else "survey_template.restore",
                object_type="survey_template", object_id=row.id,
                before={"is_archived": not archived}, after={"is_archived": archived},
            )
    return row


async def ensure_pack_templates(tenant: TenantRow) -> list[SurveyTemplate]:
    """Idempotent: a copy of each of the pack's templates the tenant does not have yet (by
    pack_key, archived ones included). For the demo and new tenants; no acting member."""
    made: list[SurveyTemplate] = []
    async with transaction(tenant.id):
        rows = await scoped_objects(SurveyTemplate, tenant.id).where(SurveyTemplate.pack_key != "")
        have = {r.pack_key for r in rows}
        for source in pack_templates(tenant.kind):
            if source.key in have:
                continue
            made.append(await _insert(
                tenant.id, None, name=source.name, description=source.description,
                definition=source.definition, validity=source.validity, pack_key=source.key,
                action="survey_template.copy_pack",
            ))
    return made

