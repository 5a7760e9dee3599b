"""The template pages: the list with the pack's questionnaires to copy, the editor (one form of
question cards; add, move, delete without JavaScript), its live preview, save with clear errors
that change nothing, and who may see and change what."""

from __future__ import annotations

import html
import json
import re

import pytest

from kefu import i18n
from kefu.core.scoping import scoped_count
from kefu.db import transaction
from kefu.surveys.queries import templates
from kefu.surveys.tables import SurveyTemplate
from tests.surveys import factories as survey_factories
from tests.surveys.templates.support import form_fields


async def _count(centre) -> int:
    async with transaction(centre.tenant.id, write=False):
        return await scoped_count(SurveyTemplate, centre.tenant.id)


async def _stored(centre, template_id: int):
    async with transaction(centre.tenant.id, write=False):
        return await templates.get_template(centre.tenant.id, template_id)


async def _copied(centre, who: str = "supervisor") -> tuple[object, str]:
    client = await centre.client(who)
    response = await client.post(centre.url("/copy"), {"pack_key": "property_half_year"})
    assert response.status_code == 303, response.text
    return client, response.headers["location"]


def _card(fields: dict[str, str], key: str) -> str:
    """The card (`q<n>`) of the question with this key."""
    return next(k.split(".")[0] for k, v in fields.items() if k.startswith("q") and k.endswith(".key") and v == key)


def _text(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


async def test_empty_list_offers_the_packs_questionnaire(centre):
    client = await centre.client("supervisor")
    page = await client.get(centre.url("/"))
    assert page.status_code == 200
    assert 'id="no-templates"' in page.text
    assert "物业服务半年度满意度调查" in page.text and 'value="property_half_year"' in page.text
    assert "insurance_satisfaction" not in page.text


async def test_copy_from_the_pack_opens_the_editor_with_every_question(centre):
    client, editor_url = await _copied(centre)
    page = await client.get(editor_url)
    assert page.status_code == 200
    fields = form_fields(page.text)
    assert fields["name"] == "物业服务半年度满意度调查"
    assert fields["one_per"] == "household" and fields["min_seconds"] == "30"
    for title in ("总体而言，您对物业服务的满意程度如何？", "请为保洁服务打分"):
        assert title in page.text
    assert len([k for k in fields if k.endswith(".type")]) == 15
    # The preview is there without JavaScript, made by the answer page's own macro.
    assert 'id="pv-q-overall"' in page.text
    listing = await client.get(centre.url("/"))
    assert "物业服务半年度满意度调查" in listing.text and 'id="no-templates"' not in listing.text


async def test_save_the_edited_form(centre):
    client, editor_url = await _copied(centre)
    fields = form_fields((await client.get(editor_url)).text)
    n = _card(fields, "overall")
    fields |= {"name": "2026年下半年业主满意度调查", f"{n}.title": "您对本小区物业服务总体满意吗？",
               "min_seconds": "45", "one_per": "customer", "action": "save"}
    response = await client.post(editor_url, fields)
    assert response.status_code == 303 and response.headers["location"] == editor_url
    row = await _stored(centre, int(editor_url.rsplit("/", 1)[1]))
    assert row.name == "2026年下半年业主满意度调查"
    assert templates.definition_of(row).question("overall").title == "您对本小区物业服务总体满意吗？"
    assert templates.validity_of(row).min_seconds == 45 and templates.validity_of(row).one_per == "customer"
    page = await client.get(editor_url)
    assert "模板已保存。" in page.text


async def test_add_move_and_delete_answer_the_form_unsaved(centre):
    client, editor_url = await _copied(centre)
    before = (await _stored(centre, int(editor_url.rsplit("/", 1)[1]))).definition
    fields = form_fields((await client.get(editor_url)).text)
    page = await client.post(editor_url, fields | {"action": "add:0:single"})
    assert page.status_code == 200 and 'id="unsaved"' in page.text
    added = form_fields(page.text)
    assert added["q1.type"] == "single" and added["q1.options"] == "选项 1\n选项 2"
    assert re.search(r'id="q1-title"[^>]*autofocus', page.text)  # the cursor is on the new card
    page = await client.post(editor_url, added | {"q1.title": "您住在哪一期？", "action": "up:1"})
    moved = form_fields(page.text)
    assert moved["q0.title"] == "您住在哪一期？" and moved["q1.key"] == "services_used"
    page = await client.post(editor_url, moved | {"action": "delete:1"})
    assert "services_used" not in form_fields(page.text).values()
    # Nothing stored until Save.
    assert (await _stored(centre, int(editor_url.rsplit("/", 1)[1]))).definition == before
    response = await client.post(editor_url, form_fields(page.text) | {"action": "save"})
    assert response.status_code == 303
    saved = templates.definition_of(await _stored(centre, int(editor_url.rsplit("/", 1)[1])))
    assert saved.questions()[0].title == "您住在哪一期？" and saved.question("services_used") is None


async def test_errors_are_clear_and_change_nothing(centre):
    client, editor_url = await _copied(centre)
    template_id = int(editor_url.rsplit("/", 1)[1])
    before = await _stored(centre, template_id)
    fields = form_fields((await client.get(editor_url)).text) | {"action": "save"}
    keys = {v: k.split(".")[0] for k, v in fields.items() if k.startswith("q") and k.endswith(".key")}
    low, overall = keys["overall_low"], keys["overall"]
    later = str(int(keys["comments"][1:]))
    cases = [
        ({f"{overall}.key": "Overall Score"}, "Overall Score", f"{overall}.key"),
        ({f"{low}.show_if": later}, "overall_low", f"{low}.show_if"),
        ({f"{keys['repair_on_time']}.options": ""}, "repair_on_time", f"{keys['repair_on_time']}.options"),
        ({"name": ""}, i18n.gettext("This field is required."), "name"),
    ]
    for over, words, field in cases:
        response = await client.post(editor_url, fields | over)
        assert response.status_code == 422, (over, response.status_code)
        assert "未保存任何内容" in response.text
        assert f'id="{field}-error"' in response.text, (field, response.text[:2000])
        assert words in _text(response.text)
        if not field.endswith("show_if"):  # the page keeps what was typed
            assert form_fields(response.text)[field] == over[field]
    after = await _stored(centre, template_id)
    assert (after.name, after.definition, after.validity) == (before.name, before.definition, before.validity)


async def test_the_preview_renders_the_questions_as_they_are_typed(centre):
    client, editor_url = await _copied(centre)
    fields = form_fields((await client.get(editor_url)).text)
    n = _card(fields, "comments")
    response = await client.post(editor_url + "/preview", fields | {f"{n}.title": "还有什么想对我们说的？"}, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="preview"')  # the fragment only
    assert "还有什么想对我们说的？" in response.text and 'name="q_comments"' in response.text
    assert "sq-scale-11" in response.text  # the NPS question
    # A half-made questionnaire still previews, with what is missing listed.
    response = await client.post(editor_url + "/preview", fields | {f"{n}.title": ""}, htmx=True)
    assert response.status_code == 200 and 'id="preview-problems"' in response.text
    assert 'name="q_overall"' in response.text


async def test_duplicate_and_archive_from_the_editor(centre):
    client, editor_url = await _copied(centre)
    response = await client.post(editor_url + "/duplicate")
    assert response.status_code == 303 and response.headers["location"] != editor_url
    response = await client.post(editor_url + "/archive")
    assert response.status_code == 303
    page = await client.get(centre.url("/"))
    assert "已归档" in page.text and "（副本）" in page.text
    assert (await client.post(editor_url + "/restore")).status_code == 303
    assert not (await _stored(centre, int(editor_url.rsplit("/", 1)[1]))).is_archived


async def test_front_desk_without_survey_permissions_is_refused(centre):
    row = await survey_factories.template(centre.tenant)
    client = await centre.client("front_desk")
    base = centre.url(f"/{row.id}")
    assert (await client.get(centre.url("/"))).status_code == 403
    assert (await client.get(base)).status_code == 403
    for path, data in ((base, {"name": "改名", "action": "save"}), (base + "/archive", {}),
                       (base + "/duplicate", {}), (centre.url("/copy"), {"pack_key": "property_half_year"}),
                       (centre.url("/new"), {"name": "新问卷"}), (base + "/preview", {})):
        assert (await client.post(path, data)).status_code == 403, path
    assert await _count(centre) == 1
    assert (await _stored(centre, row.id)).name == "满意度调查"


async def test_view_only_staff_see_the_editor_but_cannot_change_it(insurer):
    row = await survey_factories.template(insurer.tenant)
    qa = await insurer.client("qa")
    page = await qa.get(insurer.url(f"/{row.id}"))
    assert page.status_code == 200
    assert "<fieldset disabled>" in page.text and 'value="save"' not in page.text
    assert 'id="pv-q-overall"' in page.text
    assert 'action="' + insurer.url("/copy") not in page.text
    response = await qa.post(insurer.url(f"/{row.id}"), {"name": "改名", "action": "save"})
    assert response.status_code == 403
    agent = await insurer.client("agent")
    assert (await agent.get(insurer.url(f"/{row.id}"))).status_code == 403
    response = await agent.post(insurer.url(f"/{row.id}"), {"name": "改名", "action": "save"})
    assert response.status_code == 403
    assert (await _stored(insurer, row.id)).name == "满意度调查"


async def test_another_tenants_template_is_a_404(centre, insurer):
    row = await survey_factories.template(centre.tenant, name="乙方问卷 secret-template")
    head = await insurer.client("head")
    for response in (await head.get(insurer.url(f"/{row.id}")),
                     await head.post(insurer.url(f"/{row.id}"), {"name": "x", "action": "save"}),
                     await head.post(insurer.url(f"/{row.id}/preview"), {})):
        assert response.status_code == 404
        assert "secret-template" not in response.text


async def test_markup_in_questions_is_shown_as_text_and_nul_is_refused(centre):
    client, editor_url = await _copied(centre)
    fields = form_fields((await client.get(editor_url)).text)
    n = _card(fields, "comments")
    script = '<script>alert("x")</script>'
    response = await client.post(editor_url + "/preview", fields | {f"{n}.title": script}, htmx=True)
    assert script not in response.text and "&lt;script&gt;" in response.text
    response = await client.post(editor_url, fields | {"name": "坏\x00名", "action": "save"})
    assert response.status_code == 422 and 'id="name-error"' in response.text
    row = await _stored(centre, int(editor_url.rsplit("/", 1)[1]))
    assert row.name == "物业服务半年度满意度调查"


async def test_too_many_cards_are_refused_not_rendered(centre):
    client, editor_url = await _copied(centre)
    fields = form_fields((await client.get(editor_url)).text)
    for n in range(20, 400):
        fields |= {f"q{n}.key": f"extra{n}", f"q{n}.type": "rating", f"q{n}.title": "多", f"q{n}.section": "0"}
    response = await client.post(editor_url, fields | {"action": "save"})
    assert response.status_code == 422
    assert response.text.count('<article class="st-card') == 201


async def test_the_advanced_json_saves_with_the_same_checks(centre):
    client, editor_url = await _copied(centre)
    template_id = int(editor_url.rsplit("/", 1)[1])
    page = await client.get(editor_url)
    text = form_fields(page.text, "advanced-json-form")["definition_json"]
    definition = json.loads(text)
    definition["sections"][0]["questions"][0]["title"] = "JSON 改的标题"
    response = await client.post(editor_url + "/json", {"definition_json": json.dumps(definition, ensure_ascii=False)})
    assert response.status_code == 303
    assert templates.definition_of(await _stored(centre, template_id)).questions()[0].title == "JSON 改的标题"
    before = (await _stored(centre, template_id)).definition
    definition["sections"][-1]["questions"][1]["show_if"]["question"] = "comments"
    for bad in ("{not json", json.dumps(definition)):
        response = await client.post(editor_url + "/json", {"definition_json": bad})
        assert response.status_code == 422 and 'id="definition_json-error"' in response.text
    assert "overall_low" in response.text  # the question at fault is named
    assert (await _stored(centre, template_id)).definition == before


@pytest.mark.parametrize(
    ("path", "data", "named"),
    [
        ("/new", {"name": ""}, "Name"),
        ("/new", {"name": "长" * 201}, "Name"),
        ("/copy", {"pack_key": "no_such_pack"}, "Template"),
        ("/copy", {"pack_key": "insurance_satisfaction"}, "Template"),  # another kind's pack
    ],
)
async def test_the_list_forms_refuse_bad_input_naming_the_field(centre, path, data, named):
    client = await centre.client("supervisor")
    before = await _count(centre)
    response = await client.post(centre.url(path), data)
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    with i18n.using_locale("zh_CN"):  # the supervisor reads Chinese
        label = i18n.gettext(named)
    assert f"{label}：" in _text(page.text)
    assert await _count(centre) == before
