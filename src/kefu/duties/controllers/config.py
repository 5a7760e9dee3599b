"""Tenant administrators edit departments, positions (department, reporting line, required
training, the permissions each grants) and duty items, starting from the pack's."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.core import forms
from kefu.core.errors import FieldError
from kefu.core.packs import ADMIN_POSITION
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.duties import schemas as s
from kefu.duties.controllers.helpers import duty_pack, words
from kefu.duties.policy.pack import EVIDENCE, RECORDS, RECURRENCES
from kefu.duties.queries.config import config_row
from kefu.duties.services import (
    remove_course,
    remove_duty,
    save_course,
    save_department,
    save_duty,
    save_permissions,
    save_position,
)
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

EDIT = [requires("tenant.settings")]


class ConfigController(Controller):
    path = "/t/{slug:str}/duties/config"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    async def _page(self, request: Request, ctx: TenantContext, errors: dict[str, str] | None = None,
                    form_id: str = "", values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        pack = await duty_pack(ctx)
        context = (await words(ctx)) | {
            "duty_pack": pack, "positions": list(ctx.pack.positions), "config": await config_row(ctx.tenant_id),
            "permission_label": lambda code: (
                (ctx.pack.permissions[code].label_en if i18n.current_locale() == "en" else ctx.pack.permissions[code].label)
                if code in ctx.pack.permissions else code),
            "permissions": {code: p.permissions for code, p in ctx.pack.positions.items()},
            "all_permissions": list(ctx.pack.permissions), "admin_position": ADMIN_POSITION,
            "required_by": {c: [p for p, st in pack.sets.items() if c in st.training] for c in pack.courses},
            "errors": errors or {}, "form_id": form_id, "values": values or {},
        }
        return render(request, "duties/config.html", context, status_code=status_code)

    @get("/", name="duties.config", guards=EDIT)
    async def page(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await self._page(request, ctx)

    @post("/departments", name="duties.config_department", guards=EDIT)
    async def department(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            data = s.read_department(form, list((await duty_pack(ctx)).departments))
            await save_department(ctx, code=data.code, name=data.name, name_en=data.name_en, parent=data.parent)
        except FieldError as exc:
            return await self._page(request, ctx, exc.translated_all(), "department-form", form.data, 422)
        flash(request, i18n.gettext("The department is saved."), "success")
        return Redirect(request.app.route_reverse("duties.config", slug=ctx.tenant.slug), status_code=303)

    @post("/courses", name="duties.config_course", guards=EDIT)
    async def course(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            data = s.read_course(form)
            await save_course(ctx, code=data.code, name=data.name, name_en=data.name_en, valid_months=data.valid_months)
        except FieldError as exc:
            return await self._page(request, ctx, exc.translated_all(), "course-form", form.data, 422)
        flash(request, i18n.gettext("The course is saved."), "success")
        return Redirect(request.app.route_reverse("duties.config", slug=ctx.tenant.slug) + "#courses", status_code=303)

    @post("/courses/remove", name="duties.config_course_remove", guards=EDIT)
    async def course_remove(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            code = form.choice("code", list((await duty_pack(ctx)).courses))
            form.check()
            await remove_course(ctx, code=code)
        except FieldError as exc:
            return await self._page(request, ctx, {"course": exc.translated()}, "", form.data, 422)
        flash(request, i18n.gettext("The course is removed."), "success")
        return Redirect(request.app.route_reverse("duties.config", slug=ctx.tenant.slug) + "#courses", status_code=303)

    @post("/positions", name="duties.config_position", guards=EDIT)
    async def position(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        pack = await duty_pack(ctx)
        try:
            data = s.read_position(form, list(ctx.pack.positions), list(pack.departments), list(pack.courses))
            await save_position(ctx, position=data.position, department=data.department, reports_to=data.reports_to,
                                training=data.training)
        except FieldError as exc:
            return await self._page(request, ctx, exc.translated_all(), f"position-form-{form.data.get('position', '')}",
                                    form.data, 422)
        flash(request, i18n.gettext("The position is saved."), "success")
        return Redirect(request.app.route_reverse("duties.config", slug=ctx.tenant.slug), status_code=303)

    @post("/permissions", name="duties.config_permissions", guards=EDIT)
    async def permissions(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            position, granted = s.read_permissions(form, list(ctx.pack.positions), list(ctx.pack.permissions))
            await save_permissions(ctx, position=position, permissions=granted)
        except FieldError as exc:
            return await self._page(request, ctx, exc.translated_all(), f"permissions-form-{form.data.get('position', '')}",
                                    form.data | {"permissions": form.lists.get("permissions", [])}, 422)
        flash(request, i18n.gettext("The position's permissions are saved."), "success")
        return Redirect(request.app.route_reverse("duties.config", slug=ctx.tenant.slug) + f"#position-{position}",
                        status_code=303)

    async def _duty(self, request: Request, ctx: TenantContext, values: dict[str, Any],
                    errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
        context = (await words(ctx)) | {
            "positions": list(ctx.pack.positions), "recurrences": RECURRENCES, "evidences": EVIDENCE,
            "records": RECORDS, "values": values, "errors": errors or {},
        }
        return render(request, "duties/config_duty.html", context, status_code=status_code)

    @get("/duty", name="duties.config_duty", guards=EDIT)
    async def duty(self, request: Request, ctx: NamedDependency[TenantContext], position: FromQuery[str] = "",
                   code: FromQuery[str] = "") -> Response:
        values: dict[str, Any] = {"position": position if position in ctx.pack.positions else ""}
        found = (await duty_pack(ctx)).duty(code) if code else None
        if found is not None:
            set_, d = found
            values = {"position": set_.position, "code": d.code, "text": d.text, "text_en": d.text_en,
                      "recurrence": d.recurrence, "evidence": d.evidence, "record": d.record,
                      "checklist": "\n".join(d.checklist), "checklist_en": "\n".join(d.checklist_en), "known": True}
        return await self._duty(request, ctx, values)

    @post("/duty", name="duties.config_duty_save", guards=EDIT)
    async def save(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            position, duty = s.read_duty(form, list(ctx.pack.positions))
            await save_duty(ctx, position=position, duty=duty)
        except FieldError as exc:
            return await self._duty(request, ctx, form.data, exc.translated_all(), 422)
        flash(request, i18n.gettext("The duty item is saved."), "success")
        return Redirect(request.app.route_reverse("duties.config", slug=ctx.tenant.slug) + f"#position-{position}",
                        status_code=303)

    @post("/duty/remove", name="duties.config_duty_remove", guards=EDIT)
    async def remove(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await forms.Form.read(request)
        try:
            position = form.choice("position", list(ctx.pack.positions))
            code = form.text("code", max_length=40)
            form.check()
            await remove_duty(ctx, position=position, code=code)
        except FieldError as exc:
            return await self._page(request, ctx, exc.translated_all(), "", form.data, 422)
        flash(request, i18n.gettext("The duty item is removed."), "success")
        return Redirect(request.app.route_reverse("duties.config", slug=ctx.tenant.slug), status_code=303)
