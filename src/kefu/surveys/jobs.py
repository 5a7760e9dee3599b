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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kefu.audit import services as audit
from kefu.core import clock
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


LIVE_COLUMNS = (SurveyRound.id, SurveyRound.status, SurveyRound.opens_at, SurveyRound.closes_at,
                SurveyRound.reminder_after_days, SurveyRound.reminders_sent_at)


@dataclass
class DueWork:
    """What one tenant's tick has to do, decided from one read (most ticks: nothing)."""

    close: list[int]
    half_year: bool
    open: list[int]
    remind: list[int]

    def __bool__(self) -> bool:
        return bool(self.close or self.half_year or self.open or self.remind)


def due_work(live: list[dict], setting: dict | None, has_half_year_round: bool,
             now: datetime, today: date) -> DueWork:
    """Plain decision over the tenant's scheduled and open rounds and its half-year setting."""
    close = [r["id"] for r in live if r["closes_at"] <= now]
    running = [r for r in live if r["closes_at"] > now]
    half = False
    if setting is not None and setting["enabled"] and not has_half_year_round:
        half = schedule.is_due(schedule.rules_of(setting), schedule.half_year_of(today), today)
    opening = [r["id"] for r in running if r["status"] == "scheduled" and r["opens_at"] <= now]
    remind = [
        r["id"] for r in running
        if r["status"] == "open" and r["reminders_sent_at"] is None
        and schedule.reminder_due(r["opens_at"], r["reminder_after_days"], now)
    ]
    return DueWork(close, half, opening, remind)


async def _read_due(tenant: Tenant) -> DueWork:
    now = clock.now()
    today = clock.today_in(tenant.timezone)
    async with transaction(tenant.id, write=False):
        live = await scoped(SurveyRound, tenant.id, *LIVE_COLUMNS).where(
            SurveyRound.status.is_in(["scheduled", "open"])).order_by(SurveyRound.id)
        setting = await schedule.get_schedule(tenant.id)
        has_half = False
        if setting is not None and setting["enabled"]:
            has_half = await scoped(SurveyRound, tenant.id, SurveyRound.id).where(
                SurveyRound.half_year == schedule.half_year_of(today)).first() is not None
    return due_work(live, setting, has_half, now, today)


async def sweep_tenant(tenant: Tenant) -> None:
    """One read decides; each step then runs in its own transaction and re-checks its own
    condition there (a conditional UPDATE or the unique half-year index), so overlapping
    ticks do each thing once."""
    work = await _read_due(tenant)
    if not work:
        return
    # Close first: a round whose window has passed is never opened or reminded.
    for round_id in work.close:
        await rounds.close_round(tenant, round_id)
    if work.half_year:
        await _half_year_round(tenant)
    for round_id in work.open:
        await rounds.open_round(tenant, round_id)
    for round_id in work.remind:
        await remind_round(tenant, round_id)


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

