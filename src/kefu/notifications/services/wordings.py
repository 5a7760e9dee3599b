"""The wording of notices: rendering one, previewing and checking a template, and the admin's
edits of the tenant's templates (audited)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FormErrors
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications import shipped, templating
from kefu.notifications.policy import MAX_BODY, MAX_SUBJECT, PERMISSION, check_key
from kefu.notifications.queries.wordings import resolve
from kefu.notifications.tables import NoticeTemplate
from kefu.notifications.templating import TemplateProblem, Wording

TEMPLATE_ERROR = i18n.lazy("The template has an error: %(detail)s")


def wording_errors(kind: str, locale: str, channel: str, subject: str, body: str) -> dict[str, str]:
    """Field -> message (translated). For a kind shipped with defaults the text must also render
    with the sample data, so a misspelt variable is caught here rather than at delivery."""
    errors: dict[str, str] = {}
    limits = {"subject": MAX_SUBJECT, "body": MAX_BODY}
    for field, value in (("subject", subject), ("body", body)):
        required = field == "body" or channel != "sms"
        if required and not value.strip():
            errors[field] = i18n.gettext("This field is required.")
        elif len(value) > limits[field]:
            errors[field] = i18n.gettext("At most %(max)s characters.", max=limits[field])
        else:
            try:
                templating.check_syntax(field, value)
            except TemplateProblem as exc:
                errors[field] = i18n.gettext(TEMPLATE_ERROR, detail=exc.detail)
    if not errors and kind in shipped.default_kinds():
        try:
            render_sample(kind, locale, Wording(subject, body), tenant_name="", today=clock.now().date())
        except TemplateProblem as exc:
            errors[exc.field] = i18n.gettext(TEMPLATE_ERROR, detail=exc.detail)
    return errors


def render_sample(kind: str, locale: str, wording: Wording, *, tenant_name: str, today: date,
                  tenant_kind: str = "") -> Wording:
    context = shipped.sample_context(kind, locale, tenant_name, today, tenant_kind)
    return templating.render_wording(wording, context, locale)


async def render_notice(
    tenant_id: int, *, kind: str, locale: str, channel: str, data: dict[str, Any],
    recipient_name: str, tenant_name: str, due_on: date | None, today: date,
) -> Wording:
    """The subject and text of a notice, in the tenant's wording (or the default).
    Raises TemplateProblem when there is no wording or it does not render."""
    wording = await resolve(tenant_id, kind, locale, channel)
    if wording is None:
        raise TemplateProblem("body", f"no template for {kind} / {locale} / {channel}")
    context = templating.notice_context(
        data, tenant_name=tenant_name, recipient_name=recipient_name, due_on=due_on, today=today
    )
    rendered = await asyncio.to_thread(templating.render_wording, wording, context, locale)
    if channel == "sms":
        return Wording(rendered.subject, shipped.with_opt_out(kind, locale, rendered.body))
    return rendered


def preview(
    *, kind: str, locale: str, channel: str, subject: str, body: str, tenant_name: str, today: date,
    tenant_kind: str = "",
) -> Wording:
    """Render unsaved template text with the kind's sample data (the tenant kind's, where its
    pack has its own). Raises FormErrors by field."""
    check_key(kind, locale, channel)
    subject = "" if channel == "sms" else subject
    errors = wording_errors(kind, locale, channel, subject, body)
    if not errors:
        try:
            return render_sample(kind, locale, Wording(subject, body), tenant_name=tenant_name, today=today,
                                 tenant_kind=tenant_kind)
        except TemplateProblem as exc:
            errors[exc.field] = i18n.gettext(TEMPLATE_ERROR, detail=exc.detail)
    raise FormErrors(errors)


async def save_template(
    ctx: TenantContext, *, kind: str, locale: str, channel: str, subject: str, body: str
) -> int:
    """Create or replace the tenant's wording for (kind, locale, channel). Raises FormErrors."""
    ctx.require(PERMISSION)
    check_key(kind, locale, channel)
    subject = "" if channel == "sms" else subject.strip()
    # In a thread: a tenant's wording renders with a time budget, off the event loop.
    errors = await asyncio.to_thread(wording_errors, kind, locale, channel, subject, body)
    if errors:
        raise FormErrors(errors)
    async with transaction(ctx.tenant_id):
        existing = await scoped_objects(NoticeTemplate, ctx.tenant_id).where(
            NoticeTemplate.kind == kind, NoticeTemplate.locale == locale, NoticeTemplate.channel == channel
        ).first()
        before = {"subject": existing.subject, "body": existing.body} if existing else None
        now = clock.now()
        if existing:
            await NoticeTemplate.update({
                NoticeTemplate.subject: subject, NoticeTemplate.body: body,
                NoticeTemplate.updated_at: now, NoticeTemplate.updated_by: ctx.user.id,
            }).where(NoticeTemplate.tenant == ctx.tenant_id, NoticeTemplate.id == existing.id)
            template_id = existing.id
        else:
            row = NoticeTemplate(
                tenant=ctx.tenant_id, kind=kind, locale=locale, channel=channel, subject=subject,
                body=body, updated_at=now, updated_by=ctx.user.id,
            )
            await row.save()
            template_id = row.id
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="notice_template.save",
            object_type="notice_template", object_id=template_id, before=before,
            after={"kind": kind, "locale": locale, "channel": channel, "subject": subject, "body": body},
        )
    return template_id


async def reset_template(ctx: TenantContext, template_id: int) -> None:
    """Delete the tenant's wording: the shipped default applies again."""
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        row = await get_in_tenant(NoticeTemplate, ctx.tenant_id, template_id)
        await NoticeTemplate.delete().where(
            NoticeTemplate.tenant == ctx.tenant_id, NoticeTemplate.id == row.id
        )
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="notice_template.reset",
            object_type="notice_template", object_id=row.id,
            before={"kind": row.kind, "locale": row.locale, "channel": row.channel,
                    "subject": row.subject, "body": row.body},
        )
