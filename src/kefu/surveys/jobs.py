"""The survey scheduler sweep, enqueued every minute. Per active tenant, each step in its own
transaction, each idempotent:

1. the half-year round: created and opened (one transaction) once its opening day has come; the
   unique (tenant_id, half_year) index stops a second one, however many sweeps run at once;
2. scheduled rounds whose opening time has come are opened (rounds.open_round claims them);
3. non-responders are reminded once, `reminder_after_days` after opening: the round's
   `reminders_sent_at` is claimed by a conditional UPDATE, each notice is unique per invitation
   and each invitation's `reminded_at` is set, all in one transaction;
4. rounds whose closing time has passed are closed.

A worker killed half-way rolls its transaction back: no round without its invitations, no
reminder claimed without its notices. The next tick does the work again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from kefu.core import audit, clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.services import nudge
from kefu.surveys import invitations, rounds, schedule
from kefu.surveys.audience import Audience
from kefu.surveys.tables import SurveyRound, SurveyTemplate
from kefu.tenancy.tables import Tenant
from kefu.workers.registry import job, sweep

log = logging.getLogger("kefu.surveys")


async def _half_year_round(tenant: Tenant) -> int | None:
    """Create and open the current half-year's round if it is due and missing; its id."""
    async with transaction(tenant.id):
        setting = await schedule.get_schedule(tenant.id)
        if setting is None or not setting["enabled"]:
            return None
        today = clock.today_in(tenant.timezone)
        label = schedule.half_year_of(today)
        rules = schedule.rules_of(setting)
        if not schedule.is_due(rules, label, today):
            return None
        exists = await scoped(SurveyRound, tenant.id, SurveyRound.id).where(SurveyRound.half_year == label).first()
        if exists is not None:
            return None
        template = await scoped(SurveyTemplate, tenant.id, SurveyTemplate.name).where(
            SurveyTemplate.id == setting["template"]).first()
        opens_at, closes_at = schedule.round_window(rules, label, tenant.timezone)
        data = rounds.RoundInput(
            template_id=setting["template"],
            title=f"{schedule.label_text(label)} · {template['name'] if template else ''}".strip(" ·"),
            audience=Audience.from_json(setting["audience"]), opens_at=opens_at, closes_at=closes_at,
            reminder_after_days=rules.reminder_after_days, open_link=setting["open_link"], half_year=label,
        )
        row = await rounds.create_round(tenant, None, data)
        await rounds.open_round(tenant, row.id)
    return row.id


async def _open_due(tenant: Tenant) -> list[int]:
    async with transaction(tenant.id, write=False):
        due = await scoped(SurveyRound, tenant.id, SurveyRound.id).where(
            SurveyRound.status == "scheduled", SurveyRound.opens_at <= clock.now()).order_by(SurveyRound.id)
    for r in due:
        await rounds.open_round(tenant, r["id"])
    return [r["id"] for r in due]


async def remind_round(tenant: Tenant, round_id: int) -> int:
    """Owe one reminder to each non-responder of the round, once; how many were owed."""
    now = clock.now()
    async with transaction(tenant.id):
        claimed = await SurveyRound.update({SurveyRound.reminders_sent_at: now}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_id, SurveyRound.status == "open",
            SurveyRound.reminders_sent_at.is_null(),
        ).returning(SurveyRound.title, SurveyRound.closes_at)
        if not claimed:
            return 0
        pending = await invitations.pending_reminders(tenant.id, round_id)
        closes_on = claimed[0]["closes_at"].astimezone(ZoneInfo(tenant.timezone)) - timedelta(seconds=1)
        data = {"round_title": claimed[0]["title"], "closes_on": closes_on.date().isoformat()}
        ids = await invitations.owe_invitations(tenant.id, tenant.slug, pending, kind="survey_reminder", data=data)
        await invitations.mark_reminded(tenant.id, [p[0] for p in pending], now)
        await audit.record(
            tenant_id=tenant.id, actor_id=None, action="survey_round.remind", object_type="survey_round",
            object_id=round_id, after={"reminded": len(pending), "notices": len(ids)},
        )
        if len(ids) <= rounds.NUDGE_MAX:
            await nudge(tenant.id, ids)
    return len(pending)


async def _remind_due(tenant: Tenant) -> int:
    now = clock.now()
    async with transaction(tenant.id, write=False):
        candidates = await scoped(
            SurveyRound, tenant.id, SurveyRound.id, SurveyRound.opens_at, SurveyRound.reminder_after_days
        ).where(
            SurveyRound.status == "open", SurveyRound.reminders_sent_at.is_null(),
            SurveyRound.reminder_after_days > 0,
        )
    total = 0
    for r in candidates:
        if schedule.reminder_due(r["opens_at"], r["reminder_after_days"], now):
            total += await remind_round(tenant, r["id"])
    return total


async def _close_due(tenant: Tenant) -> list[int]:
    async with transaction(tenant.id, write=False):
        due = await scoped(SurveyRound, tenant.id, SurveyRound.id).where(
            SurveyRound.status.is_in(["scheduled", "open"]), SurveyRound.closes_at <= clock.now())
    return [r["id"] for r in due if await rounds.close_round(tenant, r["id"])]


async def sweep_tenant(tenant: Tenant) -> None:
    # Close first: a round whose window has passed is never opened or reminded.
    await _close_due(tenant)
    await _half_year_round(tenant)
    await _open_due(tenant)
    await _remind_due(tenant)


async def sweep_all() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    tenants = await Tenant.objects().where(Tenant.is_active.eq(True)).order_by(Tenant.id)
    for tenant in tenants:
        try:
            await sweep_tenant(tenant)
        except Exception:
            log.exception("survey sweep failed for tenant %s", tenant.id)


@sweep
@job(queue="default", max_retries=3)
async def sweep_survey_rounds() -> None:
    """Create, open, remind and close survey rounds as their dates come."""
    await sweep_all()

