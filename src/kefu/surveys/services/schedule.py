"""The half-year survey's writes (C.d: at least once every half year): the tenant's setting, and
the scheduler's sweep. Per active tenant, each step in its own transaction, each idempotent:

1. the half-year round: created and opened (one transaction) once its opening day has come; the
   unique (tenant_id, half_year) index stops a second one, however many sweeps run at once;
2. scheduled rounds whose opening time has come are opened (rounds.open_round claims them);
3. non-responders are reminded once, `reminder_after_days` after opening (rounds.remind_round);
4. rounds whose closing time has passed are closed.

A worker killed half-way rolls its transaction back: no round without its invitations, no
reminder claimed without its notices. The next tick does the work again.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from piccolo.columns import Column

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.holidays.services import load_calendar
from kefu.surveys.policy import schedule
from kefu.surveys.policy.audience import Audience, check_audience
from kefu.surveys.policy.rounds import RoundInput
from kefu.surveys.policy.schedule import ScheduleRules, check_rules
from kefu.surveys.queries import dashboard
from kefu.surveys.services import action_reminders, missed, rounds
from kefu.surveys.tables import SurveySchedule, SurveyTemplate
from kefu.tenancy.queries import active_tenants

log = logging.getLogger("kefu.surveys")


async def save_schedule(tenant: TenantRow, actor_id: int | None, *, template_id: int, enabled: bool,
                        rules: ScheduleRules, audience: Audience, open_link: bool) -> None:
    check_rules(rules)
    if audience.kind == "list":
        raise FieldError("audience", "Choose a value from the list.")
    check_audience(audience)
    values: dict[Column | str, Any] = {
        SurveySchedule.template: template_id, SurveySchedule.enabled: enabled,
        SurveySchedule.first_half_opens: rules.first_half_opens,
        SurveySchedule.second_half_opens: rules.second_half_opens,
        SurveySchedule.duration_days: rules.duration_days,
        SurveySchedule.reminder_after_days: rules.reminder_after_days,
        SurveySchedule.audience: json.dumps(audience.to_json(), ensure_ascii=False),
        SurveySchedule.open_link: open_link, SurveySchedule.updated_at: clock.now(),
    }
    async with transaction(tenant.id):
        template = await scoped(SurveyTemplate, tenant.id, SurveyTemplate.id).where(
            SurveyTemplate.id == template_id, SurveyTemplate.is_archived.eq(False)).first() \
            if 1 <= template_id < 2**31 else None
        if template is None:
            raise FieldError("template_id", "Choose a value from the list.")
        before = await dashboard.get_schedule(tenant.id)
        if before is None:
            named = {(c._meta.name if isinstance(c, Column) else c): v for c, v in values.items()}
            await SurveySchedule.insert(SurveySchedule(tenant=tenant.id, **named))
        else:
            await SurveySchedule.update(values).where(SurveySchedule.tenant == tenant.id)
        await audit.record(
            tenant_id=tenant.id, actor_id=actor_id, action="survey_schedule.save", object_type="survey_schedule",
            object_id=before["id"] if before else None,
            after={"template_id": template_id, "enabled": enabled, "first_half_opens": rules.first_half_opens,
                   "second_half_opens": rules.second_half_opens, "duration_days": rules.duration_days,
                   "reminder_after_days": rules.reminder_after_days, "audience": audience.kind},
        )


async def _half_year_round(tenant: TenantRow) -> int | None:
    """Create and open the current half-year's round if it is due and missing; its id."""
    async with transaction(tenant.id):
        setting = await dashboard.get_schedule(tenant.id)
        if setting is None or not setting["enabled"]:
            return None
        today = clock.today_in(tenant.timezone)
        label = schedule.half_year_of(today)
        rules = schedule.rules_of(setting)
        calendar = await load_calendar()
        if not schedule.is_due(rules, label, today, calendar):
            return None
        if await dashboard.half_year_round_exists(tenant.id, label):
            return None
        template = await scoped(SurveyTemplate, tenant.id, SurveyTemplate.name).where(
            SurveyTemplate.id == setting["template"]).first()
        opens_at, closes_at = schedule.round_window(rules, label, tenant.timezone, calendar)
        data = RoundInput(
            template_id=setting["template"],
            title=f"{schedule.label_text(label)} · {template['name'] if template else ''}".strip(" ·"),
            audience=Audience.from_json(setting["audience"]), opens_at=opens_at, closes_at=closes_at,
            reminder_after_days=rules.reminder_after_days, open_link=setting["open_link"], half_year=label,
        )
        row = await rounds.create_round(tenant, None, data)
        if clock.now() >= opens_at:  # else the tick opens it at its hour
            await rounds.open_round(tenant, row.id)
    return row.id


async def _read_due(tenant: TenantRow) -> schedule.DueWork:
    now = clock.now()
    today = clock.today_in(tenant.timezone)
    async with transaction(tenant.id, write=False):
        live = await dashboard.live_rounds(tenant.id)
        setting = await dashboard.get_schedule(tenant.id)
        has_half = False
        if setting is not None and setting["enabled"]:
            has_half = await dashboard.half_year_round_exists(tenant.id, schedule.half_year_of(today))
        calendar = await load_calendar() if setting is not None and setting["enabled"] and not has_half else None
    return schedule.due_work(live, setting, has_half, now, today, calendar)


async def sweep_tenant(tenant: TenantRow) -> None:
    """One read decides; each step then runs in its own transaction and re-checks its own
    condition there (a conditional UPDATE or the unique half-year index), so overlapping
    ticks do each thing once."""
    await missed.notify_missed(tenant)
    await action_reminders.remind_overdue_actions(tenant)
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
        await rounds.remind_round(tenant, round_id)


async def sweep_all() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    tenants = await active_tenants()
    for tenant in tenants:
        try:
            await sweep_tenant(tenant)
        except Exception:
            log.exception("survey sweep failed for tenant %s", tenant.id)
