"""Staff pages of survey templates: the list with the pack's templates to copy, and the editor
(question cards, one form) with its live preview. surveys.view to look, surveys.manage to change.

The editor posts the whole form: `action=save` checks and saves it; the other buttons (add,
move, delete a question or a section) answer the edited form again, not yet saved, so it works
without JavaScript. htmx posts the same form on each change to the preview, which renders the
questionnaire the way respondents will see it.
"""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NoRouteMatchFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from markupsafe import Markup

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import environment, flash, render
from kefu.surveys import labels
from kefu.surveys.policy.definition import Definition, DefinitionError
from kefu.surveys.queries import templates as queries
from kefu.surveys.schemas import editor as template_form
from kefu.surveys.schemas import editor_check
from kefu.surveys.services import templates
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

VIEW = [requires("surveys.view")]
MANAGE = [requires("surveys.manage")]
EDITOR = "surveys/templates/editor.html"


def render_preview(definition: Definition | None) -> Markup | None:
    """The questionnaire as respondents see it (the public page's own macro)."""
    if definition is None or not definition.questions():
        return None
    module = environment().get_template("surveys/_questionnaire.html").make_module({})
    try:
        macro = module.questionnaire  # type: ignore[attr-defined]  # a macro the template defines
        return Markup(macro(definition, {}, {}, i18n.current_locale(), id_prefix="pv-"))
    except Exception:  # a half-made draft the macro cannot show: the errors say why
        return None


def _stored_json(row: Any) -> str:
    definition = row.definition if isinstance(row.definition, str) else json.dumps(row.definition)
    try:
        return json.dumps(json.loads(definition or "{}"), ensure_ascii=False, indent=2)
    except ValueError:
        return definition


def _editor_context(ctx: TenantContext, row: Any, editor: template_form.Editor,
                    errors: dict[str, str], *, unsaved: bool = False, json_text: str | None = None) -> dict:
    checked, _, problems = editor_check.check(editor)
    preview = render_preview(checked or editor_check.draft(editor))
    can_edit = ctx.can("surveys.manage")
    return {
        "row": row, "editor": editor, "errors": errors, "problems": problems, "preview": preview,
        "unsaved": unsaved, "can_edit": can_edit, "focus": None, "focus_verb": "",
        "allowed": queries.allowed(row, can_manage=can_edit),
        "json_text": _stored_json(row) if json_text is None else json_text,
        "type_labels": labels.EDITOR_TYPE, "one_per_labels": labels.ONE_PER,
    }


def _editor_url(request: Request, ctx: TenantContext, template_id: int) -> str:
    return request.app.route_reverse("surveys.template", slug=ctx.tenant.slug, template_id=template_id)


async def _read(request: Request) -> tuple[template_form.Editor, str, dict[str, str]]:
    form = await Form.read(request)
    invalid = {name: i18n.gettext("Enter a valid value.") for name in form.invalid}
    return template_form.from_form(form.data), form.data.get("action", "save").strip(), invalid



# The list page's small forms (a new questionnaire's name, a pack template to copy).
LIST_FIELDS = {"name": i18n.lazy("Name"), "pack_key": i18n.lazy("Template")}


def _refused(request: Request, ctx: TenantContext, exc: FieldError) -> Response:
    """Back to the list, the error naming its field; nothing was made."""
    field = i18n.gettext(LIST_FIELDS[exc.field]) if exc.field in LIST_FIELDS else exc.field
    flash(request, i18n.gettext("%(field)s: %(error)s", field=field, error=exc.translated()), "error")
    return Redirect(request.app.route_reverse("surveys.templates", slug=ctx.tenant.slug), status_code=303)

class SurveyTemplateController(Controller):
    path = "/t/{slug:str}/surveys/templates"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="surveys.templates", guards=VIEW)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        rows = await queries.list_templates(ctx.tenant_id)
        have = {r.pack_key for r in rows if r.pack_key}
        context = {
            "rows": rows, "packs": queries.pack_templates(ctx.tenant.kind), "have_pack": have,
            "can_edit": ctx.can("surveys.manage"), "errors": {}, "data": {},
            "question_count": queries.question_count, "dashboard": _dashboard_url(request, ctx),
        }
        return render(request, "surveys/templates/list.html", context)

    @post("/new", name="surveys.template_create", guards=MANAGE)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        try:
            row = await templates.create_blank_template(ctx, form.data.get("name", ""))
        except FieldError as exc:
            return _refused(request, ctx, exc)
        flash(request, i18n.gettext("A new questionnaire is made: add its questions."), "success")
        return Redirect(_editor_url(request, ctx, row.id), status_code=303)

    @post("/copy", name="surveys.template_copy", guards=MANAGE)
    async def copy(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        try:
            row = await templates.copy_pack_template(ctx, form.data.get("pack_key", ""))
        except FieldError as exc:
            return _refused(request, ctx, exc)
        flash(request, i18n.gettext("The template is copied. Your copy is yours to edit."), "success")
        return Redirect(_editor_url(request, ctx, row.id), status_code=303)

    @get("/{template_id:int}", name="surveys.template", guards=VIEW)
    async def editor(self, request: Request, ctx: NamedDependency[TenantContext],
                     template_id: FromPath[int]) -> Response:
        row = await queries.get_template(ctx.tenant_id, template_id)
        try:
            editor = template_form.from_definition(
                row.name, row.description, queries.definition_of(row), queries.validity_of(row))
        except DefinitionError:  # saved before a rule tightened: open it as it is, to be fixed
            editor = template_form.from_form({"name": row.name, "description": row.description})
        return render(request, EDITOR, _editor_context(ctx, row, editor, {}))

    @post("/{template_id:int}", name="surveys.template_save", guards=MANAGE)
    async def save(self, request: Request, ctx: NamedDependency[TenantContext],
                   template_id: FromPath[int]) -> Response:
        row = await queries.get_template(ctx.tenant_id, template_id)
        editor, action, errors = await _read(request)
        if action != "save":
            editor = template_form.apply_action(editor, action)
            context = _editor_context(ctx, row, editor, {}, unsaved=True)
            context["focus"] = template_form.focus_after(editor, action)
            context["focus_verb"] = action.partition(":")[0]
            return render(request, EDITOR, context)
        definition, validity, problems = editor_check.check(editor)
        errors |= problems
        if not errors:
            try:
                await templates.update_template(
                    ctx, template_id, name=editor.name, description=editor.description,
                    definition=definition, validity=validity)
            except FieldError as exc:
                errors = {exc.field: exc.translated()}
            except DefinitionError as exc:
                errors = {"definition": exc.translated()}
        if errors:
            context = _editor_context(ctx, row, editor, errors, unsaved=True)
            return render(request, EDITOR, context, status_code=422)
        flash(request, i18n.gettext("The template is saved."), "success")
        return Redirect(_editor_url(request, ctx, template_id), status_code=303)

    @post("/{template_id:int}/json", name="surveys.template_json", guards=MANAGE)
    async def save_json(self, request: Request, ctx: NamedDependency[TenantContext],
                        template_id: FromPath[int]) -> Response:
        """The advanced way: the questionnaire as JSON, checked like the cards."""
        row = await queries.get_template(ctx.tenant_id, template_id)
        form = await Form.read(request)
        text = form.data.get("definition_json", "")
        error = i18n.gettext("Enter a valid value.") if form.invalid else ""
        if not error:
            try:
                await templates.update_template(
                    ctx, template_id, name=row.name, description=row.description,
                    definition=text, validity=queries.validity_of(row))
            except DefinitionError as exc:
                error = exc.translated()
        if error:
            editor = template_form.from_definition(
                row.name, row.description, queries.definition_of(row), queries.validity_of(row))
            context = _editor_context(ctx, row, editor, {"definition_json": error}, json_text=text)
            return render(request, EDITOR, context, status_code=422)
        flash(request, i18n.gettext("The template is saved."), "success")
        return Redirect(_editor_url(request, ctx, template_id), status_code=303)

    @post("/{template_id:int}/preview", name="surveys.template_preview", guards=MANAGE)
    async def preview(self, request: Request, ctx: NamedDependency[TenantContext],
                      template_id: FromPath[int]) -> Response:
        row = await queries.get_template(ctx.tenant_id, template_id)
        editor, _, _ = await _read(request)
        return render(request, EDITOR, _editor_context(ctx, row, editor, {}), fragment="preview")

    @post("/{template_id:int}/duplicate", name="surveys.template_duplicate", guards=MANAGE)
    async def duplicate(self, request: Request, ctx: NamedDependency[TenantContext],
                        template_id: FromPath[int]) -> Response:
        row = await templates.duplicate_template(ctx, template_id)
        flash(request, i18n.gettext("The template is duplicated: this is the copy."), "success")
        return Redirect(_editor_url(request, ctx, row.id), status_code=303)

    @post("/{template_id:int}/archive", name="surveys.template_archive", guards=MANAGE)
    async def archive(self, request: Request, ctx: NamedDependency[TenantContext],
                      template_id: FromPath[int]) -> Response:
        row = await templates.archive_template(ctx, template_id, True)
        flash(request, i18n.gettext("Template %(name)s is archived: new rounds no longer offer it.",
                                    name=row.name), "success")
        return Redirect(request.app.route_reverse("surveys.templates", slug=ctx.tenant.slug), status_code=303)

    @post("/{template_id:int}/restore", name="surveys.template_restore", guards=MANAGE)
    async def restore(self, request: Request, ctx: NamedDependency[TenantContext],
                      template_id: FromPath[int]) -> Response:
        await templates.archive_template(ctx, template_id, False)
        flash(request, i18n.gettext("The template is in use again."), "success")
        return Redirect(_editor_url(request, ctx, template_id), status_code=303)


def _dashboard_url(request: Request, ctx: TenantContext) -> str | None:
    try:
        return request.app.route_reverse("surveys.index", slug=ctx.tenant.slug)
    except NoRouteMatchFoundException:  # the rounds part not installed
        return None


routes = [SurveyTemplateController]
