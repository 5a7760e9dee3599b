"""Reads of the round page: the round with its audience and the buttons its state allows, its
invitations (searched, paged), and the invitation list as XLSX with each personal link (for
letters and hand-outs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import Combinable

from kefu import i18n
from kefu.core import excel
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.surveys import labels
from kefu.surveys.links import answer_url
from kefu.surveys.policy import rounds as policy
from kefu.surveys.policy.audience import Audience
from kefu.surveys.tables import SurveyInvitation, SurveyRound

PAGE_SIZE = 50


async def round_row(tenant_id: int, round_id: int, *, can_manage: bool = False) -> dict[str, Any]:
    """The round as its pages show it: its columns, its Audience, what may be done to it
    (`allowed`) and whether it is live; the 404 of a missing one (another tenant's included)."""
    row = await get_in_tenant(SurveyRound, tenant_id, round_id)
    found = row.to_dict()
    found["audience"] = Audience.from_json(json.loads(row.audience) if isinstance(row.audience, str) else row.audience)
    found["allowed"] = policy.round_actions(row.status, has_open_link=bool(row.open_token), can_manage=can_manage)
    found["is_live"] = policy.is_live(row.status)
    found["invites_later"] = policy.invites_later(row.status)
    return found


LIST_COLUMNS = (
    SurveyInvitation.id, SurveyInvitation.name, SurveyInvitation.phone, SurveyInvitation.email,
    SurveyInvitation.channel, SurveyInvitation.building, SurveyInvitation.state,
    SurveyInvitation.reminded_at, SurveyInvitation.answered_at,
)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    state: str = ""  # "" | invited | answered

    @classmethod
    def parse(cls, params: Any) -> Filters:
        state = (params.get("state") or "").strip()
        return cls(q=(params.get("q") or "").strip()[:100], state=state if state in ("invited", "answered") else "")


def _where(round_id: int, f: Filters) -> list:
    found: list[Combinable] = [SurveyInvitation.round == round_id]
    if f.state:
        found.append(SurveyInvitation.state == f.state)
    if f.q:
        like = f"%{f.q}%"
        found.append(SurveyInvitation.name.like(like) | SurveyInvitation.phone.like(like)
                     | SurveyInvitation.building.like(like) | SurveyInvitation.email.like(like))
    return found


async def page(tenant_id: int, round_id: int, f: Filters, raw_page: str | None) -> Page:
    number = page_number(raw_page)
    where = _where(round_id, f)
    rows = await scoped(SurveyInvitation, tenant_id, *LIST_COLUMNS).where(*where).order_by(
        SurveyInvitation.id).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(SurveyInvitation, tenant_id).where(*where)
    return Page(rows=rows, number=number, size=PAGE_SIZE, total=total)


EXPORT_HEADERS = [i18n.lazy("Invitee"), i18n.lazy("Phone"), i18n.lazy("Email"), i18n.lazy("Channel"),
                  i18n.lazy("Building"), i18n.lazy("State"), i18n.lazy("Reminded"), i18n.lazy("Time answered"),
                  i18n.lazy("Personal link")]


async def export_rows(tenant_id: int, round_id: int) -> list[dict[str, Any]]:
    return await scoped(SurveyInvitation, tenant_id, *LIST_COLUMNS, SurveyInvitation.token).where(
        SurveyInvitation.round == round_id).order_by(SurveyInvitation.id)


def invitations_workbook(rows: list[dict[str, Any]], slug: str, tz: str) -> bytes:
    """The invitation list as XLSX with each personal link."""
    headers = [i18n.gettext(h) for h in EXPORT_HEADERS]
    values = ([r["name"], r["phone"], r["email"], labels.CHANNEL(r["channel"]), r["building"],
               labels.INVITATION_STATE(r["state"]), r["reminded_at"], r["answered_at"], answer_url(slug, r["token"])]
              for r in rows)
    return excel.table(i18n.gettext("Invitations"), headers, values, tz=tz)
