"""Enquiries (咨询, C.b): the desk logs what a resident asked and what they were told; answered
at once it is closed, otherwise it waits with a member for the answer; the manager sees the
recurring questions by topic; bad input names its field and writes nothing."""

from __future__ import annotations

import pytest

from kefu.desk.tables import Enquiry
from tests.desk import factories
from tests.fees.support import field_invalid
from tests.units import factories as unit_factories

GOOD = {"topic": "fees", "unit": "", "contact": "王女士", "phone": "", "question": "物业费可以按年交吗？",
        "answer": "可以，前台可办理，按年缴纳。", "assignee": ""}


async def test_an_answered_enquiry_is_logged_closed(centre):
    unit = await unit_factories.unit(centre.tenant, "7栋", "301")
    made = await (await centre.client("desk")).post(centre.url("/enquiries"), {**GOOD, "unit": "7栋301"})
    assert made.status_code == 303, made.text[:800]
    [row] = await factories.rows(centre.tenant, Enquiry)
    assert (row.state, row.unit, row.topic) == ("closed", unit.id, "fees")
    assert row.answered_by == centre.users["desk"].id and row.answered_at is not None


async def test_an_open_enquiry_waits_for_its_assignee_and_closes_when_answered(centre):
    desk = await centre.client("desk")
    manager_id = centre.users["manager"].id
    made = await desk.post(centre.url("/enquiries"), {**GOOD, "answer": "", "assignee": str(manager_id)})
    assert made.status_code == 303
    [row] = await factories.rows(centre.tenant, Enquiry)
    assert (row.state, row.assignee) == ("open", manager_id)
    day = await desk.get(centre.url("/day"))
    assert f'data-id="{row.id}"' in day.text
    empty = await desk.post(centre.url(f"/enquiries/{row.id}/answer"), {"answer": ""})
    assert empty.status_code == 422 and field_invalid(empty.text, "answer")
    answered = await (await centre.client("manager")).post(centre.url(f"/enquiries/{row.id}/answer"),
                                                          {"answer": "财务确认可以按年交。"})
    assert answered.status_code == 303
    again = await factories.reload(centre.tenant, Enquiry, row.id)
    assert again.state == "closed" and again.answer == "财务确认可以按年交。"
    assert (await desk.post(centre.url(f"/enquiries/{row.id}/answer"), {"answer": "再答"})).status_code == 409


async def test_the_recurring_questions_count_by_topic(centre):
    for topic in ("parking", "parking", "parking", "fees"):
        await factories.enquiry(centre.tenant, topic=topic)
    page = await (await centre.client("manager")).get(centre.url("/enquiries"))
    table = page.text.split('id="topic-counts"')[1].split("</table>")[0]
    assert table.index('data-topic="parking"') < table.index('data-topic="fees"')
    assert '<td>3</td><td>3</td>' in table.split('data-topic="parking"')[1]


@pytest.mark.parametrize(("field", "value"), [
    ("topic", ""), ("topic", "gossip"), ("unit", "88栋9999"), ("unit", "x" * 61), ("contact", "x" * 51),
    ("phone", "12ab"), ("question", ""), ("question", "x" * 2001), ("question", "a\x00b"),
    ("answer", "x" * 2001), ("assignee", "424242"), ("assignee", "abc"),
])
async def test_bad_input_names_the_field_and_writes_nothing(centre, field, value):
    page = await (await centre.client("desk")).post(centre.url("/enquiries"), {**GOOD, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), (field, page.status_code)
    assert await factories.rows(centre.tenant, Enquiry) == []


async def test_questions_render_escaped(centre):
    row = await factories.enquiry(centre.tenant, question='<img src=x onerror="alert(1)">')
    page = await (await centre.client("desk")).get(centre.url(f"/enquiries/{row.id}"))
    assert "<img src=x" not in page.text and "&lt;img" in page.text
