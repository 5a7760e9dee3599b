"""The queries behind the reports, called without a server, against the seeded complaints
(tests/complaints/reports/conftest.py: March 2026 against February)."""

from __future__ import annotations

from datetime import date

from kefu.complaints.policy import CHANNELS
from kefu.complaints.queries import reports as q
from kefu.complaints.queries.reports import compute as a
from tests.complaints.reports.conftest import TODAY, insert_complaint

MARCH = a.Period("month", date(2026, 3, 1), date(2026, 3, 31))


async def test_march_figures_match_the_seeded_complaints(seeded):
    f = await q.figures(seeded.tenant.id, MARCH, TODAY)

    assert f.received == 5  # c1-c5; c6 arrived on 1 April, c7-c9 earlier
    assert f.channels == {"hotline": 2, "email": 1, "regulator": 1, "online": 1}
    assert f.categories == {"claims": 3, "sales": 1, "conduct": 1}
    assert f.outcomes == {"upheld": 1, "not_upheld": 1, "open": 1, "transferred_internal": 1, "not_accepted": 1}
    assert f.departments == {"": 4, "理赔部": 1}
    # Closed in March after a decision: c1 (10 days), c2 (20), c7 (21, received in February).
    assert f.handling == a.Average(3, 17.0)
    # c1-c3 are one person (phone, phone + email, email in another case); c4 and c5 another.
    assert [(r.complaints, r.name) for r in f.repeaters] == [(3, "张三"), (2, "王五")]


async def test_february_is_the_previous_period_with_its_own_figures(seeded):
    report = await q.analysis(
        seeded.tenant.id, MARCH, TODAY, channel_order=CHANNELS, category_order=("claims", "premium"),
    )
    prev = report.previous
    assert prev.period == a.Period("month", date(2026, 2, 1), date(2026, 2, 28))
    assert prev.received == 2 and prev.channels == {"hotline": 1, "fax": 1}
    assert prev.outcomes == {"partly": 1, "withdrawn": 1}
    assert prev.handling == a.Average(0, None) and prev.repeaters == []
    assert report.received == a.Line("received", 5, 2)
    assert [(line.code, line.current, line.previous) for line in report.channels][:3] == [
        ("hotline", 2, 1), ("fax", 0, 1), ("letter", 0, 0),
    ]
    assert report.handling_change is None


async def test_notice_duties_in_march(seeded):
    duties = {d.duty: d for d in await q.duties(seeded.tenant.id, MARCH, TODAY)}

    # c9's materials notice, due 30 March, is still unsent on 15 April.
    assert duties["materials_notice"] == a.DutyFigures("materials_notice", 1, 0, 0, 0, 1, 0)
    # c3's acceptance notice went out four days early.
    assert duties["acceptance_notice"] == a.DutyFigures("acceptance_notice", 1, 1, 0, 0, 0, 0)
    # c1 on time, c2 late, and c3 (investigating, due 25 March) has no decision written at all.
    assert duties["decision_notice"] == a.DutyFigures("decision_notice", 3, 1, 1, 0, 1, 1)
    assert duties["decision_notice"].on_time_rate == 1 / 3
    assert duties["extension_notice"].owed == 0


async def test_april_counts_what_is_not_yet_due_as_open(seeded):
    april = a.Period("month", date(2026, 4, 1), date(2026, 4, 30))
    duties = {d.duty: d for d in await q.duties(seeded.tenant.id, april, TODAY)}
    # c5's rejection notice (due 14 April, sent 2 April) and c6, under review, whose art. 16
    # answer and decision fall due on 16 April: open, not written yet.
    assert duties["acceptance_notice"] == a.DutyFigures("acceptance_notice", 2, 1, 0, 1, 0, 1)
    assert duties["decision_notice"] == a.DutyFigures("decision_notice", 1, 0, 0, 1, 0, 1)


async def test_late_list_names_the_complaints(seeded):
    c = seeded.complaints
    items = await q.late_list(seeded.tenant.id, MARCH, TODAY)
    assert [(i.complaint_id, i.number, i.state, i.duty, i.days_late(TODAY)) for i in items] == [
        (c["c2"].id, c["c2"].number, "late", "decision_notice", 5),
        (c["c3"].id, c["c3"].number, "unwritten", "decision_notice", 21),
        (c["c9"].id, c["c9"].number, "overdue", "materials_notice", 16),
    ]


async def test_other_tenants_complaints_never_count(seeded, cast):
    # Given a complaint of another tenant received in March
    await insert_complaint(cast.tenant_b, received_on=date(2026, 3, 15), complainant_phone="13800000001")
    # Then the seeded tenant's figures are unchanged
    f = await q.figures(seeded.tenant.id, MARCH, TODAY)
    assert f.received == 5 and f.repeaters[0].complaints == 3
