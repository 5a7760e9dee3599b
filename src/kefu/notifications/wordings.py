"""Tenant templates: which wording a notice uses, and the admin's edits of it (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, FormErrors
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications import templating
from kefu.notifications.tables import NoticeTemplate
from kefu.notifications.templating import CHANNELS, LOCALES, TemplateProblem, Wording

PERMISSION = "notices.manage"
TEMPLATE_ERROR = i18n.lazy("The template has an error: %(detail)s")


@dataclass(frozen=True)
class TemplateRow:
    kind: str
    label: str
    locale: str
    channel: str
    template_id: int | None  # None: the default wording applies
    updated_at: datetime | None


async def resolve(tenant_id: int, kind: str, locale: str, channel: str) -> Wording | None:
    """The tenant's own wording for (kind, locale, channel), else the shipped default."""
    row = await (
        scoped(NoticeTemplate, tenant_id, NoticeTemplate.subject, NoticeTemplate.body)
        .where(NoticeTemplate.kind == kind, NoticeTemplate.locale == locale, NoticeTemplate.channel == channel)
        .first()
    )
    if row is not None:
        return Wording(subject=row["subject"], body=row["body"])
    return templating.default_wording(kind, locale, channel)


async def template_id_for(tenant_id: int, kind: str, locale: str, channel: str) -> int | None:
    row = await (
        scoped(NoticeTemplate, tenant_id, NoticeTemplate.id)
        .where(NoticeTemplate.kind == kind, NoticeTemplate.locale == locale, NoticeTemplate.channel == channel)
        .first()
    )
    return row["id"] if row else None


async def template_rows(tenant_id: int) -> list[TemplateRow]:
    """Every default (kind, locale, channel), and any the tenant wrote for other kinds."""
    custom = {
        (r["kind"], r["locale"], r["channel"]): r
        for r in await scoped(
            NoticeTemplate, tenant_id, NoticeTemplate.id, NoticeTemplate.kind, NoticeTemplate.locale,
            NoticeTemplate.channel, NoticeTemplate.updated_at,
        )
    }
    keys = {(k, loc, ch) for k in templating.default_kinds() for loc in LOCALES for ch in CHANNELS}
    rows = []
    for kind, locale, channel in sorted(keys | set(custom)):
        mine = custom.get((kind, locale, channel))
        rows.append(TemplateRow(
            kind=kind, label=templating.kind_label(kind), locale=locale, channel=channel,
            template_id=mine["id"] if mine else None, updated_at=mine["updated_at"] if mine else None,
        ))
    return rows


def check_key(kind: str, locale: str, channel: str) -> None:
    if not templating.KIND_RE.match(kind):
        raise FieldError("kind", "Use lowercase letters, digits and underscores, starting with a letter.")
    if locale not in LOCALES:
        raise FieldError("locale", "Choose a value from the list.")
    if channel not in CHANNELS:
        raise FieldError("channel", "Choose a value from the list.")


def wording_errors(kind: str, locale: str, channel: str, subject: str, body: str) -> dict[str, str]:
    """Field -> message (translated). For a kind shipped with defaults the text must also render
    with the sample data, so a misspelt variable is caught here rather than at delivery."""
    errors: dict[str, str] = {}
    limits = {"subject": templating.MAX_SUBJECT, "body": templating.MAX_BODY}
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
    if not errors and kind in templating.default_kinds():
        try:
            render_sample(kind, locale, Wording(subject, body), tenant_name="", today=clock.now().date())
        except TemplateProblem as exc:
            errors[exc.field] = i18n.gettext(TEMPLATE_ERROR, detail=exc.detail)
    return errors


def render_sample(kind: str, locale: str, wording: Wording, *, tenant_name: str, today: date) -> Wording:
    context = templating.sample_context(kind, locale, tenant_name, today)
    return templating.render_wording(wording, context, locale)


async def save_template(
    ctx: TenantContext, *, kind: str, locale: str, channel: str, subject: str, body: str
) -> int:
    """Create or replace the tenant's wording for (kind, locale, channel). Raises FormErrors."""
    ctx.require(PERMISSION)
    check_key(kind, locale, channel)
    subject = "" if channel == "sms" else subject.strip()
    errors = wording_errors(kind, locale, channel, subject, body)
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
