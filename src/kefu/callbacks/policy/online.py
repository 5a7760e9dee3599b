"""The online method (art. 23(1)): what the customer's questionnaire asks and how long its link
stays open. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kefu.surveys.schemas.direct import DirectQuestion

ONLINE = "online"
MIN_OPEN_DAYS = 7  # a link sent late in the window still gets a week
# A task without a campaign (a complaint follow-up) asks these.
DEFAULT_QUESTIONS = (
    DirectQuestion(key="q1", title="您对我们的处理和服务是否满意？请简单说明。",
                   title_en="Are you satisfied with how we handled this and with our service? Please say briefly."),
    DirectQuestion(key="q2", title="您还有什么意见或建议？", title_en="Anything else you would like to tell us?",
                   required=False),
)


def questions_for(campaign_questions: Sequence[dict[str, str]]) -> list[DirectQuestion]:
    """The campaign's questions (codes q1, q2, … from schemas.parse_questions), or the default
    pair when it has none: every one a free-text answer, as the agent's record takes them."""
    picked = [DirectQuestion(key=q["code"], title=q["text"][:200]) for q in campaign_questions
              if q.get("code") and q.get("text")]
    return picked or list(DEFAULT_QUESTIONS)


def closes_at(due_on: date, today: date, tz: str) -> datetime:
    """The end of the later of the task's due day and a week from today, in the tenant's zone."""
    last = max(due_on, today + timedelta(days=MIN_OPEN_DAYS))
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz))


def record_answers(answers: dict[str, object], codes: Sequence[str]) -> dict[str, str]:
    """The survey's answers as the record keeps them: text per question code, in order."""
    return {code: str(answers.get(code) or "").strip()[:2000] for code in codes}
