"""Reading the tenant's notice templates: which wording a notice uses, the list and one template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kefu.core.scoping import get_in_tenant, scoped
from kefu.notifications import shipped
from kefu.notifications.policy import CHANNELS, LOCALES
from kefu.notifications.tables import NoticeTemplate
from kefu.notifications.templating import Wording


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
    return shipped.default_wording(kind, locale, channel)


async def template_id_for(tenant_id: int, kind: str, locale: str, channel: str) -> int | None:
    row = await (
        scoped(NoticeTemplate, tenant_id, NoticeTemplate.id)
        .where(NoticeTemplate.kind == kind, NoticeTemplate.locale == locale, NoticeTemplate.channel == channel)
        .first()
    )
    return row["id"] if row else None


async def template_fields(tenant_id: int, template_id: int) -> dict[str, str]:
    """One template's key and text for its edit page; another tenant's id is a 404."""
    row = await get_in_tenant(NoticeTemplate, tenant_id, template_id)
    return {"kind": row.kind, "locale": row.locale, "channel": row.channel, "subject": row.subject, "body": row.body}


async def template_rows(tenant_id: int) -> list[TemplateRow]:
    """Every default (kind, locale, channel), and any the tenant wrote for other kinds."""
    custom = {
        (r["kind"], r["locale"], r["channel"]): r
        for r in await scoped(
            NoticeTemplate, tenant_id, NoticeTemplate.id, NoticeTemplate.kind, NoticeTemplate.locale,
            NoticeTemplate.channel, NoticeTemplate.updated_at,
        )
    }
    keys = {(k, loc, ch) for k in shipped.default_kinds() for loc in LOCALES for ch in CHANNELS}
    rows = []
    for kind, locale, channel in sorted(keys | set(custom)):
        mine = custom.get((kind, locale, channel))
        rows.append(TemplateRow(
            kind=kind, label=shipped.kind_label(kind), locale=locale, channel=channel,
            template_id=mine["id"] if mine else None, updated_at=mine["updated_at"] if mine else None,
        ))
    return rows
