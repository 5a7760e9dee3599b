"""A round's closing date reads the same everywhere: the last day chosen on the form is what the
dashboard, the round page, the results page, the public answer page, the invitation notice, the
poster and the results workbook show, in one format; the midnight that ends the round (the day
after) is shown nowhere."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.i18n import fmt_date, using_locale
from kefu.notifications.tables import Notice
from kefu.surveys.policy.rounds import closes_on
from kefu.surveys.queries.poster import poster_context
from kefu.surveys.tables import SurveyRound
from tests.surveys import factories as survey_factories
from tests.surveys.rounds.factories import customer

TZ = "Asia/Shanghai"


def test_the_last_day_is_the_day_before_the_midnight_that_ends_the_round():
    # 2026-05-15 00:00 in Shanghai ends a round whose last day is 14 May.
    assert closes_on(datetime(2026, 5, 14, 16, tzinfo=UTC), TZ) == date(2026, 5, 14)
    # Closed by hand at 15:00 Shanghai time: it closed that day.
    assert closes_on(datetime(2026, 5, 10, 7, tzinfo=UTC), TZ) == date(2026, 5, 10)
    # One second after midnight, the next day.
    assert closes_on(datetime(2026, 5, 14, 16, 0, 1, tzinfo=UTC), TZ) == date(2026, 5, 15)
    assert closes_on(datetime(2026, 5, 14, 16, tzinfo=UTC), "UTC") == date(2026, 5, 14)


async def test_the_closing_date_reads_the_same_on_every_page_notice_poster_and_export(centre_pages):
    tenant = centre_pages.tenant
    await customer(tenant, "业主甲", building="1栋")
    template = await survey_factories.template(tenant, name="满意度调查")
    today = clock.today_in(TZ)
    last = today + timedelta(days=10)
    me = await centre_pages.client("supervisor")
    response = await me.post(centre_pages.url("/rounds"), data={
        "template_id": str(template.id), "title": "截止日期一致性调查", "audience": "all",
        "opens_on": today.isoformat(), "closes_on": last.isoformat(), "reminder_after_days": "3",
        "open_link": "on"})
    assert response.status_code == 303, response.text
    round_url = response.headers["location"]
    async with transaction(tenant.id, write=False):
        row = await scoped(SurveyRound, tenant.id).where(SurveyRound.title == "截止日期一致性调查").first()
        notices = await scoped(Notice, tenant.id, Notice.data).where(Notice.subject_type == "survey_invitation")
    with using_locale("zh_CN"):
        shown, day_after = fmt_date(last), fmt_date(last + timedelta(days=1))
    pages = {
        "dashboard": (await me.get(centre_pages.url())).text,
        "round": (await me.get(round_url)).text,
        "results": (await me.get(round_url + "/results")).text,
        "public": (await me.get(f"/p/{tenant.slug}/s/{row['open_token']}")).text,
    }
    for name, page in pages.items():
        assert shown in page, name
        assert day_after not in page, name
    assert notices and all(n["data"]["closes_on"] == last.isoformat() if isinstance(n["data"], dict)
                           else f'"closes_on": "{last.isoformat()}"' in n["data"] for n in notices)
    assert poster_context(tenant, row)["closes_on"] == last
    book = load_workbook(io.BytesIO((await me.get(round_url + "/results.xlsx")).content))
    cells = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True)}
    closing = cells["结束时间"]  # "Closes", in the reader's language
    assert (closing.date() if isinstance(closing, datetime) else closing) == last
