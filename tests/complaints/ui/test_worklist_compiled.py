"""The worklist's compiled statements (kefu.core.compiled) answer exactly what Piccolo's query
of the same filters answers, for every filter shape, across pages and with the capped count.
On PostgreSQL this compares the compiled path with Piccolo's; on SQLite both go through Piccolo."""

from __future__ import annotations

import itertools

from kefu.complaints import services
from kefu.complaints.queries import worklist
from kefu.complaints.tables import Complaint
from kefu.core import clock
from kefu.core.compiled import Compiled, Sentinel
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests.complaints.ui.support import register

SHAPES = list(itertools.product(
    ("open", "all", "registered", "under_review", "withdrawn"),
    ("", "letter"),
    ("", "mine", "unassigned"),
    ("", "overdue", "today", "soon"),
))


async def _by_piccolo(ctx, f: worklist.Filters, number: int) -> tuple[list[dict], int]:
    values = worklist.bound_values(f, ctx, clock.today_in(ctx.tenant.timezone))
    where = worklist.conditions(f, values, "")
    query = worklist.ordered(scoped(Complaint, ctx.tenant_id, *worklist.COLUMNS).where(*where), f)
    size = worklist.PAGE_SIZE
    rows = await query.limit(size + 1).offset((number - 1) * size)
    total = len(await scoped(Complaint, ctx.tenant_id, Complaint.id).where(*where))
    return rows[:size], min(total, worklist.COUNT_CAP + 1)


async def test_every_filter_shape_answers_as_piccolo_does(office, monkeypatch):
    agent, head = await office.ctx("agent"), await office.ctx("head")
    made = [await register(agent, received_on=f"2026-02-{d:02d}") for d in range(2, 8)]
    made += [await register(head, channel="letter", materials_complete=True) for _ in range(3)]
    made.append(await register(agent, received_on="2026-02-27"))
    await services.withdraw_complaint(agent, made[0].id)
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    monkeypatch.setattr(worklist, "COUNT_CAP", 4)
    seen = set()
    for status, channel, handler, due in SHAPES:
        f = worklist.Filters(status=status, channel=channel, handler=handler, due=due)
        for number in (1, 2, 3):
            async with transaction(tenant_id=agent.tenant_id):
                page = await worklist.worklist(agent, f, str(number))
                rows, total = await _by_piccolo(agent, f, number)
            assert page.rows == rows, (f, number)
            if number > 1 or page.has_next:
                assert page.total == total, (f, number)
            seen.update(r["id"] for r in page.rows)
    assert seen == {c.id for c in made}


async def test_sentinels_map_back_to_the_request_values():
    def build(values):
        return scoped(Complaint, values["tenant"], Complaint.id).where(
            (Complaint.handler == values["me"]) | (Complaint.registered_by == values["me"]),
            Complaint.next_due < values["today"], Complaint.status == "registered",
        )

    statement = Compiled(build, lambda: {"tenant": Sentinel.int(), "me": Sentinel.int(), "today": Sentinel.day()})
    shape = statement._compile()
    names = [name for name, _ in shape.slots]
    assert names.count("me") == 2 and names.count("tenant") == 1 and names.count("today") == 1
    assert [const for name, const in shape.slots if name is None] == ["registered"]
    assert "sentinel" not in shape.sql
