"""A round with known answers for the page and export tests (the same figures as
test_statistics: A, B, C valid, D invalid), and a previous round of the same template."""

from __future__ import annotations

from datetime import timedelta

from kefu.db import transaction
from kefu.surveys.tables import SurveyRound
from tests.surveys import factories as sf

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example/","点我")'

ANSWERS = [
    ({"overall": 4, "services": {"front_desk": 5, "cleaning": 3, "security": 4}, "channel": "phone",
      "recommend": 9, "comments": XSS}, "1栋", "业主,老人", True, ""),
    ({"overall": 2, "why_low": "电梯常坏", "services": {"front_desk": 2, "cleaning": 2, "security": 3},
      "used": ["repair", "other"], "used__other": FORMULA, "channel": "visit", "recommend": 5}, "2栋", "业主", True, ""),
    ({"overall": 5, "services": {"front_desk": 5, "cleaning": 5, "security": 5}, "used": ["fees"],
      "recommend": 10, "comments": "保安很负责"}, "1栋", "", True, ""),
    ({"overall": 1, "services": {"front_desk": 1, "cleaning": 1, "security": 1}, "recommend": 0,
      "comments": "无效问卷的意见"}, "3栋", "租户", False, "too_fast"),
]
INDEX = (75 + 31.25 + 100) / 3


async def seeded_round(tenant, *, title: str = "2026年下半年满意度调查", invited: int = 10, with_previous: bool = False):
    template = await sf.template(tenant)
    previous = None
    if with_previous:
        previous = await sf.survey_round(tenant, template, title="2026年上半年满意度调查", status="closed",
                                         opens_in_days=-200, closes_in_days=-186)
        await sf.response(tenant, previous, {"overall": 3, "services": {"front_desk": 3, "cleaning": 3, "security": 3},
                                              "recommend": 7})
    round_row = await sf.survey_round(tenant, template, title=title)
    # All but the last answer through an invitation; the last through the open link (the poster).
    for n, (answers, building, segment, valid, reason) in enumerate(ANSWERS, start=1):
        invite = await sf.invitation(tenant, round_row, building=building, segment=segment) if n < len(ANSWERS) else None
        await sf.response(tenant, round_row, answers, invitation_row=invite, building=building, segment=segment,
                          is_valid=valid, invalid_reason=reason, duration_seconds=5 if not valid else 150)
    async with transaction(tenant.id):
        await SurveyRound.update({SurveyRound.invited_count: invited}).where(
            SurveyRound.tenant == tenant.id, SurveyRound.id == round_row.id)
    round_row.invited_count = invited
    return round_row, previous


def days(n: int) -> timedelta:
    return timedelta(days=n)
