"""Template services: copy a pack template, make a blank one, update, duplicate, archive, and the
demo's idempotent copy of the pack. Each change leaves an audit event; a refused change leaves
nothing."""

from __future__ import annotations

import json

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from kefu.audit.tables import AuditEvent
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped, scoped_objects
from kefu.db import transaction
from kefu.surveys.policy.definition import DefinitionError, parse_definition
from kefu.surveys.services import templates
from kefu.surveys.tables import SurveyTemplate
from tests import factories
from tests.surveys import factories as survey_factories


async def _audit(tenant_id: int, template_id: int) -> list[dict]:
    async with transaction(tenant_id, write=False):
        rows = await scoped(AuditEvent, tenant_id, AuditEvent.action, AuditEvent.before, AuditEvent.after).where(
            AuditEvent.object_type == "survey_template", AuditEvent.object_id == template_id,
        ).order_by(AuditEvent.id).output(load_json=True)
    return rows


async def _row(tenant_id: int, template_id: int) -> SurveyTemplate:
    async with transaction(tenant_id, write=False):
        return await templates.get_template(tenant_id, template_id)


async def test_copy_a_pack_template_into_the_tenant(centre):
    ctx = await centre.ctx("supervisor")
    async with transaction(centre.tenant.id):
        row = await templates.copy_pack_template(ctx, "property_half_year")
    saved = await _row(centre.tenant.id, row.id)
    assert saved.pack_key == "property_half_year" and saved.name == "物业服务半年度满意度调查"
    assert templates.definition_of(saved) == templates.pack_template("property", "property_half_year").definition
    assert templates.validity_of(saved).one_per == "household"
    assert saved.created_by == centre.users["supervisor"].id
    assert [e["action"] for e in await _audit(centre.tenant.id, row.id)] == ["survey_template.copy_pack"]


async def test_only_the_tenants_own_pack_can_be_copied(centre):
    ctx = await centre.ctx("supervisor")
    for key in ("insurance_satisfaction", "property_nothing", ""):
        with pytest.raises(FieldError) as caught:
            async with transaction(centre.tenant.id):
                await templates.copy_pack_template(ctx, key)
        assert caught.value.field == "pack_key"
    async with transaction(centre.tenant.id, write=False):
        assert await scoped_objects(SurveyTemplate, centre.tenant.id) == []


async def test_update_saves_checked_definition_and_audits_the_change(centre):
    ctx = await centre.ctx("supervisor")
    row = await survey_factories.template(centre.tenant)
    definition = json.loads(json.dumps(survey_factories.DEFINITION))
    definition["sections"][0]["questions"][0]["title"] = "总体满意度如何？"
    async with transaction(centre.tenant.id):
        await templates.update_template(ctx, row.id, name=" 新名称 ", description="说明", definition=definition,
                                        validity={"min_seconds": 40, "one_per": "household"})
    saved = await _row(centre.tenant.id, row.id)
    assert (saved.name, saved.description) == ("新名称", "说明")
    assert templates.definition_of(saved).question("overall").title == "总体满意度如何？"
    assert templates.validity_of(saved).min_seconds == 40
    (event,) = await _audit(centre.tenant.id, row.id)
    assert event["action"] == "survey_template.update"
    assert set(event["after"]) == {"name", "description", "definition", "validity"}
    assert event["before"]["name"] == "满意度调查"


async def test_update_with_a_broken_definition_changes_nothing(centre):
    ctx = await centre.ctx("supervisor")
    row = await survey_factories.template(centre.tenant)
    broken = json.loads(json.dumps(survey_factories.DEFINITION))
    broken["sections"][0]["questions"][1]["show_if"]["question"] = "comments"  # a later question
    with pytest.raises(DefinitionError) as caught:
        async with transaction(centre.tenant.id):
            await templates.update_template(ctx, row.id, name="改名", description="", definition=broken, validity={})
    assert caught.value.variables == {"key": "why_low", "source": "comments"}
    for bad in ({"name": ""}, {"name": "长" * 201}):
        with pytest.raises(FieldError):
            async with transaction(centre.tenant.id):
                await templates.update_template(ctx, row.id, description="", definition=survey_factories.DEFINITION,
                                                validity={}, **bad)
    saved = await _row(centre.tenant.id, row.id)
    assert saved.name == "满意度调查" and saved.definition == row.definition
    assert await _audit(centre.tenant.id, row.id) == []


async def test_duplicate_makes_an_independent_copy(centre):
    ctx = await centre.ctx("supervisor")
    async with transaction(centre.tenant.id):
        source = await templates.copy_pack_template(ctx, "property_half_year")
        copy = await templates.duplicate_template(ctx, source.id)
    assert copy.id != source.id and copy.name == "物业服务半年度满意度调查（副本）"
    assert copy.definition == source.definition and copy.pack_key == source.pack_key
    (event,) = await _audit(centre.tenant.id, copy.id)
    assert event["action"] == "survey_template.duplicate" and event["after"]["copied_from"] == source.id


async def test_archive_and_restore(centre):
    ctx = await centre.ctx("supervisor")
    row = await survey_factories.template(centre.tenant)
    async with transaction(centre.tenant.id):
        await templates.archive_template(ctx, row.id)
        await templates.archive_template(ctx, row.id)  # already archived: no second event
    assert (await _row(centre.tenant.id, row.id)).is_archived
    async with transaction(centre.tenant.id):
        await templates.archive_template(ctx, row.id, False)
    assert not (await _row(centre.tenant.id, row.id)).is_archived
    actions = [e["action"] for e in await _audit(centre.tenant.id, row.id)]
    assert actions == ["survey_template.archive", "survey_template.restore"]


async def test_a_blank_template_starts_with_one_valid_question(centre):
    ctx = await centre.ctx("supervisor")
    async with transaction(centre.tenant.id):
        row = await templates.create_blank_template(ctx, "业主意见调查")
    definition = templates.definition_of(await _row(centre.tenant.id, row.id))
    assert [q.key for q in definition.questions()] == ["overall"]
    with pytest.raises(FieldError):
        async with transaction(centre.tenant.id):
            await templates.create_blank_template(ctx, "  ")


async def test_without_surveys_manage_every_change_is_refused(centre):
    ctx = await centre.ctx("front_desk")
    row = await survey_factories.template(centre.tenant)
    attempts = [
        templates.copy_pack_template(ctx, "property_half_year"),
        templates.create_blank_template(ctx, "x"),
        templates.duplicate_template(ctx, row.id),
        templates.archive_template(ctx, row.id),
        templates.update_template(ctx, row.id, name="x", description="", definition=survey_factories.DEFINITION,
                                  validity={}),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedException):
            async with transaction(centre.tenant.id):
                await attempt
    assert await _audit(centre.tenant.id, row.id) == []


async def test_another_tenants_template_is_not_found(centre, insurer):
    ctx = await insurer.ctx("head")
    row = await survey_factories.template(centre.tenant)
    for attempt in (templates.duplicate_template(ctx, row.id), templates.archive_template(ctx, row.id)):
        with pytest.raises(NotFoundException):
            async with transaction(insurer.tenant.id):
                await attempt
    assert not (await _row(centre.tenant.id, row.id)).is_archived


async def test_ensure_pack_templates_copies_each_once():
    tenant = await factories.tenant(kind="insurance")
    first = await templates.ensure_pack_templates(tenant)
    again = await templates.ensure_pack_templates(tenant)
    assert [r.pack_key for r in first] == ["insurance_satisfaction"] and again == []
    async with transaction(tenant.id, write=False):
        rows = await scoped_objects(SurveyTemplate, tenant.id)
    assert len(rows) == 1 and rows[0].created_by is None
    parse_definition(rows[0].definition)
