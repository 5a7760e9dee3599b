"""Survey objects for tests, inserted directly (no services), so each part of the survey module can
be tested on its own: templates, rounds, invitations, responses. Shared by tests/surveys_*."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from kefu.core import clock
from kefu.db import transaction
from kefu.surveys.tables import SurveyInvitation, SurveyResponse, SurveyRound, SurveyTemplate

# A small questionnaire with every question type, a required rating and a show-if.
DEFINITION: dict[str, Any] = {
    "intro": "感谢您抽出时间参与本次满意度调查。",
    "thanks": "感谢您的宝贵意见！",
    "sections": [
        {"key": "service", "title": "服务评价", "questions": [
            {"key": "overall", "type": "rating", "title": "您对我们的总体服务是否满意？", "required": True},
            {"key": "why_low", "type": "text", "title": "请告诉我们哪里做得不好", "max_length": 500,
             "show_if": {"question": "overall", "at_most": 2}},
            {"key": "services", "type": "matrix", "title": "请为以下各项服务打分", "required": True,
             "rows": [{"key": "front_desk", "label": "前台接待"}, {"key": "cleaning", "label": "保洁"},
                      {"key": "security", "label": "安保"}]},
        ]},
        {"key": "more", "title": "更多", "questions": [
            {"key": "used", "type": "multiple", "title": "您使用过哪些服务？", "allow_other": True,
             "options": [{"value": "repair", "label": "报修"}, {"value": "fees", "label": "缴费"}]},
            {"key": "channel", "type": "single", "title": "您最常用的联系方式",
             "options": [{"value": "phone", "label": "电话"}, {"value": "visit", "label": "上门"}]},
            {"key": "recommend", "type": "nps", "title": "您向亲友推荐我们的可能性有多大？", "in_index": False},
            {"key": "comments", "type": "text", "title": "其他意见和建议", "max_length": 1000},
        ]},
    ],
}
VALIDITY: dict[str, Any] = {"require_required": True, "min_seconds": 0, "straight_line_min": 0, "one_per": "none"}

# Answers that make a valid response to DEFINITION.
GOOD_ANSWERS: dict[str, Any] = {
    "overall": 4, "services": {"front_desk": 5, "cleaning": 3, "security": 4}, "channel": "phone",
    "recommend": 9, "comments": "保洁可以再加强",
}


def token() -> str:
    return secrets.token_urlsafe(24)


async def template(tenant: Any, *, name: str = "满意度调查", definition: dict | None = None,
                   validity: dict | None = None) -> SurveyTemplate:
    row = SurveyTemplate(
        tenant=tenant.id, name=name, definition=json.dumps(definition or DEFINITION, ensure_ascii=False),
        validity=json.dumps(validity or VALIDITY), created_at=clock.now(), updated_at=clock.now(),
    )
    async with transaction(tenant.id):
        await row.save()
    return row


async def survey_round(tenant: Any, template_row: SurveyTemplate | None = None, *, title: str = "2026年下半年满意度调查",
                       status: str = "open", opens_in_days: int = -1, closes_in_days: int = 13,
                       open_link: bool = False, half_year: str = "", validity: dict | None = None) -> SurveyRound:
    template_row = template_row or await template(tenant)
    now = clock.now()
    row = SurveyRound(
        tenant=tenant.id, template=template_row.id, title=title, definition=template_row.definition,
        validity=json.dumps(validity) if validity is not None else template_row.validity,
        audience=json.dumps({"kind": "none"}), opens_at=now + timedelta(days=opens_in_days),
        closes_at=now + timedelta(days=closes_in_days), status=status, half_year=half_year,
        open_token=token() if open_link else None, created_at=now,
    )
    async with transaction(tenant.id):
        await row.save()
    return row


async def invitation(tenant: Any, round_row: SurveyRound, *, name: str = "张三", phone: str = "13800138000",
                     building: str = "1栋", household: str = "", segment: str = "") -> SurveyInvitation:
    row = SurveyInvitation(
        tenant=tenant.id, round=round_row.id, token=token(), name=name, phone=phone, channel="sms",
        building=building, segment=segment, household=household or f"{building}|{token()[:6]}",
        created_at=clock.now(),
    )
    async with transaction(tenant.id):
        await row.save()
        await SurveyRound.update({SurveyRound.invited_count: SurveyRound.invited_count + 1}).where(
            SurveyRound.id == round_row.id)
    return row


async def response(tenant: Any, round_row: SurveyRound, answers: dict | None = None, *,
                   invitation_row: SurveyInvitation | None = None, is_valid: bool = True,
                   invalid_reason: str = "", building: str = "1栋", segment: str = "",
                   duration_seconds: int = 120) -> SurveyResponse:
    now = clock.now()
    row = SurveyResponse(
        tenant=tenant.id, round=round_row.id, invitation=invitation_row.id if invitation_row else None,
        answers=json.dumps(answers if answers is not None else GOOD_ANSWERS, ensure_ascii=False),
        started_at=now - timedelta(seconds=duration_seconds), submitted_at=now,
        duration_seconds=duration_seconds, is_valid=is_valid, invalid_reason=invalid_reason,
        building=invitation_row.building if invitation_row else building,
        segment=invitation_row.segment if invitation_row else segment,
        household=invitation_row.household if invitation_row else "",
        via="invite" if invitation_row else "open",
    )
    async with transaction(tenant.id):
        await row.save()
        if invitation_row is not None:
            await SurveyInvitation.update({SurveyInvitation.state: "answered", SurveyInvitation.answered_at: now}).where(
                SurveyInvitation.id == invitation_row.id)
    return row
