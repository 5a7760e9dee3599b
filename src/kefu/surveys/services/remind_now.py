""""Remind now": a member who manages surveys reminds an open round's non-responders at once,
through the outbox (survey_reminder notices), each invitee at most once a day (the tenant's day,
policy.rounds.may_remind_again) whoever reminds them: the scheduled reminder and this button
share the invitation's `reminded_at`.

Invitees are claimed with a conditional UPDATE of `reminded_at` (not reminded since the day
began), so a double click or two members at once remind each invitee once; only the claimed
ones are owed a notice, unique per invitation and day. The result counts what really happened:
notices queued, and the non-responders left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.notifications.services import nudge
from kefu.surveys.policy import rounds as policy
from kefu.surveys.policy.audience import MESSAGE_CHANNELS, Invitee
from kefu.surveys.services.invitations import owe_invitations
from kefu.surveys.services.rounds import NUDGE_MAX, notice_data
from kefu.surveys.tables import SurveyInvitation, SurveyRound

CLAIM_CHUNK = 1000


@dataclass(frozen=True)
class Reminded:
    """What "remind now" did: `queued` notices written to the outbox (one per reminded
    invitee); non-responders left out because they were `reminded_today` already, have
    `no_channel` to message (letters, no contact) or `withdrew` their consent."""

    queued: int = 0
    reminded_today: int = 0
    no_channel: int = 0
    withdrew: int = 0


def _waiting(round_id: int) -> tuple[Any, ...]:
    """Non-responders of the round who can get a message and have not withdrawn consent."""
    return (
        SurveyInvitation.round == round_id, SurveyInvitation.state == "invited",
        SurveyInvitation.channel.is_in(list(MESSAGE_CHANNELS)),
        SurveyInvitation.customer.consent_withdrawn_at.is_null(),
    )


async def _candidates(tenant_id: int, round_id: int, since: datetime) -> list[dict[str, Any]]:
    return await scoped(
        SurveyInvitation, tenant_id, SurveyInvitation.id, SurveyInvitation.token, SurveyInvitation.name,
        SurveyInvitation.phone, SurveyInvitation.email, SurveyInvitation.channel,
        SurveyInvitation.customer.locale.as_alias("locale"),
    ).where(
        *_waiting(round_id),
        SurveyInvitation.reminded_at.is_null() | (SurveyInvitation.reminded_at < since),
    ).order_by(SurveyInvitation.id)


async def _claim(tenant_id: int, ids: list[int], since: datetime, now: datetime) -> set[int]:
    claimed: set[int] = set()
    for start in range(0, len(ids), CLAIM_CHUNK):
        rows = await SurveyInvitation.update({SurveyInvitation.reminded_at: now}).where(
            SurveyInvitation.tenant == tenant_id, SurveyInvitation.id.is_in(ids[start:start + CLAIM_CHUNK]),
            SurveyInvitation.state == "invited",
            SurveyInvitation.reminded_at.is_null() | (SurveyInvitation.reminded_at < since),
        ).returning(SurveyInvitation.id)
        claimed.update(r["id"] for r in rows)
    return claimed


async def _left_out(tenant_id: int, round_id: int, since: datetime) -> tuple[int, int, int]:
    invited = (SurveyInvitation.round == round_id, SurveyInvitation.state == "invited")
    today = await scoped_count(SurveyInvitation, tenant_id).where(
        *_waiting(round_id), SurveyInvitation.reminded_at >= since)
    no_channel = await scoped_count(SurveyInvitation, tenant_id).where(
        *invited, SurveyInvitation.channel.not_in(list(MESSAGE_CHANNELS)))
    withdrew = await scoped_count(SurveyInvitation, tenant_id).where(
        *invited, SurveyInvitation.channel.is_in(list(MESSAGE_CHANNELS)),
        SurveyInvitation.customer.consent_withdrawn_at.is_not_null())
    return today, no_channel, withdrew


async def remind_now(tenant: TenantRow, round_id: int, actor_id: int | None) -> Reminded:
    """Remind the open round's non-responders now. Refused unless the round is open; the 404 of
    another tenant's round. The permission (surveys.manage) is the route's guard."""
    now = clock.now()
    since = policy.reminder_day_start(now, ZoneInfo(tenant.timezone))
    day = since.astimezone(ZoneInfo(tenant.timezone)).date().isoformat()
    async with transaction(tenant.id):
        row = await get_in_tenant(SurveyRound, tenant.id, round_id)
        refused = policy.refusal(policy.REMIND_NOW, row.status, has_open_link=bool(row.open_token))
        if refused is not None:
            raise Refused(*refused)
        found = await _candidates(tenant.id, round_id, since)
        claimed = await _claim(tenant.id, [r["id"] for r in found], since, now)
        made = [
            (r["id"], Invitee(name=r["name"], channel=r["channel"], phone=r["phone"], email=r["email"],
                              locale=r["locale"] or "zh_CN"), r["token"])
            for r in found if r["id"] in claimed
        ]
        ids = await owe_invitations(tenant.id, tenant.slug, made, kind="survey_reminder",
                                    data=notice_data(tenant, row.title, row.closes_at), key_suffix=f":{day}")
        today, no_channel, withdrew = await _left_out(tenant.id, round_id, since)
        result = Reminded(queued=len(ids), reminded_today=today - len(claimed), no_channel=no_channel,
                          withdrew=withdrew)
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="survey_round.remind_now", object_type="survey_round",
            object_id=round_id, after={"queued": result.queued, "reminded_today": result.reminded_today,
                                       "no_channel": no_channel, "withdrew": withdrew},
        )
        if len(ids) <= NUDGE_MAX:
            await nudge(tenant.id, ids)
    return result
