"""Tenant administrators edit their departments, positions' duty sets (department, reporting
line, required training) and duty items, starting from the pack's (A art. 4, 5, 22; B; C). Each
change is validated as a pack file is, stored as the tenant's whole duties document with a new
version, and audited with what changed, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.packs import PackError, get_pack
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.policy import config as rules
from kefu.duties.policy.pack import Course, DutiesFile, Duty, parse_duties
from kefu.duties.queries.config import pack_of
from kefu.duties.tables import DutyConfig
from kefu.tenancy.services import set_own_permissions

EDIT = "tenant.settings"


async def _edit(ctx: TenantContext, change: Callable[[DutiesFile], DutiesFile], action: str,
                detail: dict[str, Any]) -> None:
    ctx.require(EDIT)
    base = get_pack(ctx.tenant.kind)
    async with transaction(ctx.tenant_id):
        # Lock the tenant's row (if any) first: two edits at once apply one after the other.
        await DutyConfig.update({DutyConfig.version: DutyConfig.version}).where(DutyConfig.tenant == ctx.tenant_id)
        current = rules.document_of(await pack_of(ctx.tenant_id, ctx.tenant.kind))
        changed = change(current)
        try:
            parse_duties(rules.from_json(rules.to_json(changed)), "duty configuration", set(base.positions), base)
        except PackError as exc:
            raise FieldError("config", "This change would leave the duties invalid: %(why)s", why=str(exc)) from None
        row = await scoped(DutyConfig, ctx.tenant_id, DutyConfig.id, DutyConfig.version).first()
        document = rules.to_json(changed)
        if row is None:
            made = DutyConfig(tenant=ctx.tenant_id, document=document, version=1, updated_by=ctx.user.id)
            await made.save()
            config_id, version = made.id, 1
        else:
            config_id, version = row["id"], row["version"] + 1
            await DutyConfig.update({DutyConfig.document: document, DutyConfig.version: version,
                                     DutyConfig.updated_by: ctx.user.id, DutyConfig.updated_at: clock.now()}).where(
                DutyConfig.tenant == ctx.tenant_id, DutyConfig.id == config_id)
        # What each position grants goes with the tenant's row, which every request reads.
        await set_own_permissions(ctx.tenant_id, rules.own_of(changed))
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"duty_config.{action}",
                           object_type="duty_config", object_id=config_id, after={**detail, "version": version})


def _text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise FieldError(field, "This field is required.")
    if len(value) > limit:
        raise FieldError(field, "At most %(max)s characters.", max=limit)
    return value


async def save_department(ctx: TenantContext, *, code: str, name: str, name_en: str, parent: str = "") -> None:
    """Add a department or rename and move one. Raises FieldError (code, name, name_en, parent,
    config), 403 (tenant.settings)."""
    code = rules.check_code("code", code)
    name, name_en = _text("name", name, 100), _text("name_en", name_en, 100)
    await _edit(ctx, lambda f: rules.set_department(f, code, name, name_en, parent), "department",
                {"code": code, "name": name, "name_en": name_en, "parent": parent})


async def save_position(ctx: TenantContext, *, position: str, department: str, reports_to: str = "",
                        training: tuple[str, ...] = ()) -> None:
    """A position's department, reporting line and required training. Raises FieldError
    (position, department, reports_to, training, config), 403 (tenant.settings)."""
    if position not in ctx.pack.positions:
        raise FieldError("position", "Choose one of the listed values.")
    if reports_to and reports_to not in ctx.pack.positions:
        raise FieldError("reports_to", "Choose one of the listed values.")
    await _edit(ctx, lambda f: rules.set_position(f, position, department, reports_to, tuple(training)), "position",
                {"position": position, "department": department, "reports_to": reports_to, "training": list(training)})


async def save_duty(ctx: TenantContext, *, position: str, duty: Duty) -> None:
    """Add a duty item to a position or change one. Raises FieldError (position, code, text,
    text_en, recurrence, evidence, record, checklist, config), 403 (tenant.settings)."""
    rules.check_code("code", duty.code)
    _text("text", duty.text, 500)
    _text("text_en", duty.text_en, 500)
    await _edit(ctx, lambda f: rules.set_duty(f, position, duty), "duty",
                {"position": position, "code": duty.code, "text": duty.text, "recurrence": duty.recurrence,
                 "evidence": duty.evidence, "record": duty.record, "checklist": list(duty.checklist)})


async def remove_duty(ctx: TenantContext, *, position: str, code: str) -> None:
    """Take a duty item off a position (its past tasks stay). Raises FieldError (code), 403."""
    await _edit(ctx, lambda f: rules.remove_duty(f, position, code), "duty_removed", {"position": position, "code": code})


async def save_permissions(ctx: TenantContext, *, position: str, permissions: tuple[str, ...]) -> None:
    """The permissions a position grants in this tenant, in place of the pack's; the guards honour
    them from the next request, for everyone holding the position by membership or assignment.
    Refused for the admin position (it grants every permission) and for a change that would take
    from the editor the permission to edit (they could not undo it). Raises FieldError
    (position, permissions, config), 403 (tenant.settings)."""
    base = get_pack(ctx.tenant.kind)
    if position not in base.positions:
        raise FieldError("position", "Choose one of the listed values.")
    if any(code not in base.permissions for code in permissions):
        raise FieldError("permissions", "Choose one of the listed values.")
    before = sorted(ctx.pack.positions[position].permissions)

    def change(file: DutiesFile) -> DutiesFile:
        changed = rules.set_permissions(file, base, position, permissions)
        mine = base.with_permissions(rules.own_of(changed)).permissions_of(ctx.membership.held_positions())
        if EDIT not in mine:
            raise FieldError("permissions", "This would take from you the permission to edit positions and duties, "
                                            "which you could not then give back.")
        return changed

    await _edit(ctx, change, "permissions",
                {"position": position, "before": before, "permissions": sorted(set(permissions))})


async def save_course(ctx: TenantContext, *, code: str, name: str, name_en: str, valid_months: int) -> None:
    """Add a course (A art. 8; B.n, C.o) or rename one and change how long a pass stays valid.
    Raises FieldError (code, name, name_en, valid_months, config), 403 (tenant.settings)."""
    code = rules.check_code("code", code)
    name, name_en = _text("name", name, 100), _text("name_en", name_en, 100)
    if not 1 <= valid_months <= 120:
        raise FieldError("valid_months", "Enter a number from %(min)s to %(max)s.", min=1, max=120)
    course = Course(code=code, name=name, name_en=name_en, valid_months=valid_months)
    await _edit(ctx, lambda f: rules.set_course(f, course), "course",
                {"code": code, "name": name, "name_en": name_en, "valid_months": valid_months})


async def remove_course(ctx: TenantContext, *, code: str) -> None:
    """Take a course off the list (sessions and results stay); refused while a position requires
    it. Raises FieldError (code), 403 (tenant.settings)."""
    await _edit(ctx, lambda f: rules.remove_course(f, code), "course_removed", {"code": code})
