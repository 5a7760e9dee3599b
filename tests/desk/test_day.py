"""The front desk's day on the tenant's home: paid services to do (the member's own first),
renovations to decide and under way (past their last day flagged), open enquiries."""

from __future__ import annotations

from datetime import date

from tests.desk import factories


async def test_the_day_shows_the_desks_queues(centre, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    mine = await factories.order(centre.tenant, state="assigned", assignee=centre.users["desk"].id)
    other = await factories.order(centre.tenant)
    await factories.order(centre.tenant, state="done")
    applied = await factories.renovation(centre.tenant)
    late = await factories.renovation(centre.tenant, state="approved")  # its last day: 2027-02-10
    enquiry = await factories.enquiry(centre.tenant)
    await factories.enquiry(centre.tenant, state="closed", question="已答复的问题")
    home = await (await centre.client("desk")).get(f"/t/{centre.slug}/")
    assert f'hx-get="/t/{centre.slug}/desk/day"' in home.text
    day = (await (await centre.client("desk")).get(centre.url("/day"))).text
    orders = day.split('id="day-orders"')[1].split("</article>")[0]
    assert "<mark>2</mark>" in orders
    assert orders.index(f'data-id="{mine.id}"') < orders.index(f'data-id="{other.id}"')
    renovations = day.split('id="day-renovations"')[1].split("</article>")[0]
    assert f'data-id="{applied.id}" data-state="applied"' in renovations
    assert f'data-id="{late.id}" data-state="approved"' in renovations and "kefu-overdue" not in renovations
    enquiries = day.split('id="day-enquiries"')[1].split("</article>")[0]
    assert f'data-id="{enquiry.id}"' in enquiries and "已答复的问题" not in enquiries


async def test_a_renovation_past_its_last_day_is_flagged(centre, frozen_clock):
    frozen_clock.travel(date(2027, 3, 1))
    late = await factories.renovation(centre.tenant, state="approved")
    day = (await (await centre.client("desk")).get(centre.url("/day"))).text
    assert f'data-id="{late.id}" data-state="approved"' in day and "kefu-overdue" in day


async def test_an_insurer_has_no_desk_day(insurer):
    client = await insurer.client("manager")
    assert (await client.get(insurer.url("/day"))).status_code == 403
    assert "desk/day" not in (await client.get(f"/t/{insurer.slug}/")).text
