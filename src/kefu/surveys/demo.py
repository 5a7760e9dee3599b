"""Demo surveys for `kefu demo`: the pack's templates; the last half-year's round, closed, with
about forty answers (valid ones and some that do not count, each with its reason) so the results
pages have data, and its analysis followed up by improvement actions (one done, one open, one
overdue); the half-year schedule; a round open now; and one scheduled to open next week. All
dated from the day the demo is loaded. Loading twice adds nothing.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.db import transaction
from kefu.surveys.policy import answers as rules
from kefu.surveys.policy import schedule
from kefu.surveys.policy.audience import Audience
from kefu.surveys.policy.definition import Definition, Question, parse_definition, parse_validity
from kefu.surveys.policy.rounds import RoundInput
from kefu.surveys.queries.dashboard import get_schedule
from kefu.surveys.schemas.actions import ActionInput
from kefu.surveys.services import actions, rounds
from kefu.surveys.services.schedule import save_schedule
from kefu.surveys.services.templates import ensure_pack_templates
from kefu.surveys.tables import SurveyInvitation, SurveyResponse, SurveyRound, SurveyTemplate

OPEN_TITLE = "演示：近期服务满意度调查"
SCHEDULED_TITLE = "演示：下周开始的回访调查"
# What respondents write, in the words of the tenant's kind (a resident never mentions claims).
COMMENTS = {
    "insurance": ["理赔速度比以前快了。", "客服电话有时难以接通。", "业务员讲解很耐心。", "希望续期提醒更及时。",
                  "线上办理很方便。", "保全变更手续有点繁琐。"],
    "property": ["保洁很及时，谢谢！", "希望电梯维修再快一些。", "前台服务态度很好。", "停车管理需要加强。",
                 "夜间巡逻可以更频繁。", "活动办得很好，希望多举办。"],
}
# The analysis's follow-up (B.l): what the centre or company set out to improve, with the owner
# outside kefu where there is one, and how far each has got: (title, owner, days from today, done).
ACTIONS = {
    "insurance": [("缩短热线接通等待时间", "客服热线组", -20, True), ("续期扣费前增加短信提醒", "", 20, False),
                  ("理赔材料清单一次性告知", "理赔部", -5, False)],
    "property": [("电梯报修两小时内到场", "电梯维保单位", -20, True), ("增加夜间巡逻频次", "", 20, False),
                 ("地库照明全面检修", "工程部", -5, False)],
}


def _answer(q: Question, rng: random.Random, mood: int, comments: Sequence[str]) -> Any:
    def score() -> int:
        return max(1, min(5, mood + rng.choice((-1, 0, 0, 1))))

    if q.type == "rating":
        return score()
    if q.type == "nps":
        return max(0, min(10, mood * 2 + rng.choice((-1, 0, 1))))
    if q.type == "matrix":
        return {row.key: score() for row in q.rows}
    if q.type == "single":
        return rng.choice(q.options).value if q.options else None
    if q.type == "multiple":
        return [o.value for o in q.options if rng.random() < 0.4] or ([q.options[0].value] if q.options else [])
    if q.type == "text":
        return rng.choice(comments) if comments and rng.random() < 0.5 else None
    return None


def make_answers(definition: Definition, rng: random.Random, mood: int,
                 comments: Sequence[str] = ()) -> dict[str, Any]:
    """Answers a respondent in a `mood` (1–5) might give, to the questions they would be shown."""
    drafted = {q.key: _answer(q, rng, mood, comments) for q in definition.questions()}
    drafted = {k: v for k, v in drafted.items() if v is not None}
    shown = {q.key for q in rules.visible_questions(definition, drafted)}
    return {k: v for k, v in drafted.items() if k in shown}


def _spoil(definition: Definition, answers: dict[str, Any], n: int) -> tuple[dict[str, Any], int]:
    """Every eighth respondent gives an answer that does not count: too fast, straight-lined, or
    with a required question left out."""
    if n % 3 == 0:
        return answers, 12
    if n % 3 == 1:
        ratings = {q.key for q in definition.questions() if q.type in ("rating", "matrix")}
        return {k: ({r: 3 for r in v} if isinstance(v, dict) else 3) if k in ratings else v
                for k, v in answers.items()}, 150
    required = [q.key for q in definition.questions() if q.required]
    return {k: v for k, v in answers.items() if k not in required[:1]}, 150


async def _responses(tenant: TenantRow, round_id: int, count: int, submitted: datetime, seed: int) -> None:
    async with transaction(tenant.id):
        stored = await scoped(SurveyRound, tenant.id, SurveyRound.definition, SurveyRound.validity).where(
            SurveyRound.id == round_id).first()
        assert stored is not None  # made by this demo a moment ago
        definition, validity = parse_definition(stored["definition"]), parse_validity(stored["validity"])
        invites = await scoped(SurveyInvitation, tenant.id).where(
            SurveyInvitation.round == round_id, SurveyInvitation.state == "invited").order_by(SurveyInvitation.id)
        rng = random.Random(seed)
        rows = []
        for n in range(count):
            invite = invites[n] if n < len(invites) and n % 6 != 5 else None  # some via the poster
            comments = COMMENTS.get(tenant.kind, COMMENTS["property"])
            answers = make_answers(definition, rng, rng.choice((3, 4, 4, 4, 5, 5, 2)), comments)
            seconds = rng.randint(70, 400)
            if n % 8 == 7:
                answers, seconds = _spoil(definition, answers, n // 8)
            reason = rules.invalid_reason(definition, validity, answers, duration_seconds=seconds)
            at = submitted + timedelta(hours=n * 3)
            rows.append(SurveyResponse(
                tenant=tenant.id, round=round_id, invitation=invite["id"] if invite else None,
                answers=json.dumps(answers, ensure_ascii=False), started_at=at - timedelta(seconds=seconds),
                submitted_at=at, duration_seconds=seconds, is_valid=not reason, invalid_reason=reason,
                building=invite["building"] if invite else "", segment=invite["segment"] if invite else "",
                household=invite["household"] if invite else "", via="invite" if invite else "open",
            ))
            if invite:
                await SurveyInvitation.update({SurveyInvitation.state: "answered", SurveyInvitation.answered_at: at}).where(
                    SurveyInvitation.tenant == tenant.id, SurveyInvitation.id == invite["id"])
        if rows:
            await SurveyResponse.insert(*rows)


async def _template(tenant: TenantRow) -> dict[str, Any] | None:
    await ensure_pack_templates(tenant)
    async with transaction(tenant.id, write=False):
        return await scoped(SurveyTemplate, tenant.id, SurveyTemplate.id, SurveyTemplate.name).where(
            SurveyTemplate.pack_key != "").order_by(SurveyTemplate.id).first()


async def _exists(tenant: TenantRow, *where: Any) -> bool:
    async with transaction(tenant.id, write=False):
        return await scoped(SurveyRound, tenant.id, SurveyRound.id).where(*where).first() is not None


def last_closed_half(now: datetime, tz: str) -> str:
    """The latest half-year whose round (by the default schedule) has closed by `now`."""
    half = schedule.half_year_of(now.astimezone(ZoneInfo(tz)).date())
    while schedule.round_window(schedule.ScheduleRules(), half, tz)[1] > now:
        half = schedule.previous_half(half)
    return half


async def _closed_half(tenant: TenantRow, template: dict[str, Any], half: str) -> int:
    tz = tenant.timezone
    rules_ = schedule.ScheduleRules()
    opens_at, closes_at = schedule.round_window(rules_, half, tz)
    with clock.frozen(opens_at - timedelta(days=1)):
        row = await rounds.create_round(tenant, None, RoundInput(
            template_id=template["id"], title=f"{schedule.label_text(half)} · {template['name']}",
            audience=Audience(kind="all"), opens_at=opens_at, closes_at=closes_at, reminder_after_days=7,
            open_link=True, half_year=half))
    with clock.frozen(opens_at + timedelta(minutes=1)):
        await rounds.open_round(tenant, row.id)
    await _responses(tenant, row.id, 40, opens_at + timedelta(days=1), seed=tenant.id)
    with clock.frozen(closes_at + timedelta(minutes=1)):
        await rounds.close_round(tenant, row.id)
    return row.id


async def _actions(tenant: TenantRow, acting: TenantContext, round_id: int) -> None:
    """The analysis followed up: improvement actions from the closed round (B.l)."""
    today = clock.today_in(tenant.timezone)
    for title, owner, days, done in ACTIONS.get(tenant.kind, ACTIONS["property"]):
        row = await actions.create_action(acting, ActionInput(
            title=title, owner_id=None if owner else acting.user.id, owner_name=owner,
            due_on=today + timedelta(days=days), round_id=round_id))
        if done:
            await actions.close_action(acting, row.id, status="done", outcome="已完成并复查，住户反馈良好。"
                                       if tenant.kind == "property" else "已完成并复查，客户反馈良好。",
                                       closed_on=(today + timedelta(days=days - 3)).isoformat())


async def load_demo(tenant: TenantRow, acting: TenantContext | None = None) -> None:
    """`acting` (a member with the surveys permissions) records the improvement actions."""
    template = await _template(tenant)
    if template is None:
        return
    half = last_closed_half(clock.now(), tenant.timezone)
    if not await _exists(tenant, SurveyRound.half_year == half):
        round_id = await _closed_half(tenant, template, half)
        if acting is not None:
            await _actions(tenant, acting, round_id)
    async with transaction(tenant.id, write=False):
        setting = await get_schedule(tenant.id)
    if setting is None:
        await save_schedule(tenant, None, template_id=template["id"], enabled=True,
                            rules=schedule.ScheduleRules(), audience=Audience(kind="all"), open_link=True)
    if not await _exists(tenant, SurveyRound.title == OPEN_TITLE):
        now = clock.now()
        row = await rounds.create_round(tenant, None, RoundInput(
            template_id=template["id"], title=OPEN_TITLE, audience=Audience(kind="all"), opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=12), reminder_after_days=7, open_link=True))
        await rounds.open_round(tenant, row.id)
        await _responses(tenant, row.id, 12, now - timedelta(days=1, hours=12), seed=tenant.id + 1000)
    if not await _exists(tenant, SurveyRound.title == SCHEDULED_TITLE):
        opens = datetime.combine(clock.today_in(tenant.timezone) + timedelta(days=7), time(9),
                                 ZoneInfo(tenant.timezone)).astimezone(UTC)
        await rounds.create_round(tenant, None, RoundInput(
            template_id=template["id"], title=SCHEDULED_TITLE, audience=Audience(kind="all"),
            opens_at=opens, closes_at=opens + timedelta(days=14), reminder_after_days=5, open_link=True))
