"""Callback quality (A art. 27): QA scores a submitted record once on the pack's sheet, never
their own; the scorecard gets per-person callbacks done, reach rate and mean score; a record
can be cited by a commendation or criticism."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kefu.callbacks import problem_schemas, schemas, services
from kefu.callbacks.policy.quality import in_sample, quality_for
from kefu.callbacks.queries import quality as quality_queries
from kefu.callbacks.services import quality as svc
from kefu.callbacks.tables import CallbackScore
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.registry import citables, metrics
from tests.callbacks import factories as cf
from tests.callbacks.conftest import TODAY, Team

FULL = {"identity": 20, "script": 30, "record": 30, "manner": 20}


async def worked(team: Team, outcomes: list[str]) -> int:
    """A task the agent calls with these outcomes, then records and submits: the record id."""
    task_id = await cf.task(team.tenant, ctx=team.head, limit=9)
    await services.take_task(team.agent, task_id)
    for outcome in outcomes:
        await services.log_attempt(team.agent, task_id, schemas.attempt_input(Form({"outcome": outcome}), "Asia/Shanghai"))
    rec = await services.save_record(team.agent, task_id, schemas.RecordInput(
        answers={}, notes="客户满意", recording_ref="", callback_on=TODAY), submit=True)
    return int(rec.id)


async def test_qa_scores_a_submitted_record_once_and_never_their_own(team: Team):
    record_id = await worked(team, ["reached"])
    score = await svc.score_record(team.qa, record_id, {**FULL, "manner": 10}, "用语需规范")
    assert (score.total, score.max_total) == (90, 100)
    with pytest.raises(Refused) as again:
        await svc.score_record(team.head, record_id, FULL, "")
    assert again.value.code == "already_scored"
    own = await worked(team, ["reached"])
    agent_qa = await svc.score_record(team.qa, own, FULL, "")  # another record is fine
    assert agent_qa.total == 100
    async with transaction(team.tenant.id, write=False):
        assert len(await scoped(CallbackScore, team.tenant.id)) == 2


async def test_the_writer_cannot_score_their_own_record(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head)
    rec = await services.save_record(team.head, task_id, schemas.RecordInput(
        answers={}, notes="x", recording_ref="", callback_on=TODAY), submit=True)
    with pytest.raises(Refused) as own:
        await svc.score_record(team.head, rec.id, FULL, "")
    assert own.value.code == "own_record"


def test_points_outside_the_sheet_name_the_item():
    pack = quality_for("insurance")
    with pytest.raises(FieldError) as bad:
        problem_schemas.score_input(Form({"item_identity": "21", "item_script": "30", "item_record": "30",
                                          "item_manner": "x"}), pack)
    assert set(bad.value.translated_all()) == {"item_identity", "item_manner"}


async def test_the_scorecard_gets_done_reach_rate_and_mean_score_per_person(team: Team):
    first = await worked(team, ["no_answer", "reached"])
    await worked(team, ["busy", "no_answer", "reached"])
    await svc.score_record(team.qa, first, {**FULL, "manner": 0}, "")  # 80 of 100
    rows = {m.code: m for m in metrics()}
    uid = team.agent.user.id
    period = (team.tenant.id, [uid, team.agent2.user.id], TODAY - timedelta(days=1), TODAY)
    done = await rows["callbacks.done"].compute(*period)
    reach = await rows["callbacks.reach_rate"].compute(*period)
    quality = await rows["callbacks.quality"].compute(*period)
    assert done[uid].value == 2 and team.agent2.user.id not in done
    assert (reach[uid].part, reach[uid].whole, reach[uid].value) == (2, 5, 40.0)
    assert quality[uid].value == 80.0
    later = await rows["callbacks.done"].compute(team.tenant.id, [uid], TODAY + timedelta(days=1), TODAY + timedelta(days=9))
    assert later == {}


async def test_a_record_is_citable_and_another_tenants_is_not(team: Team):
    record_id = await worked(team, ["reached"])
    lookup = citables()["callback_record"].lookup
    assert TODAY.isoformat() in (await lookup(team.tenant.id, record_id) or "")
    assert await lookup(team.tenant.id + 1000, record_id) is None


async def test_the_sample_leaves_out_scored_records(team: Team):
    ids = [await worked(team, ["reached"]) for _ in range(10)]
    sample = [r["id"] for r in await quality_queries.to_score(team.qa)]
    assert sample and all(in_sample(i, 10) for i in sample) and set(sample) <= set(ids)
    await svc.score_record(team.qa, sample[0], FULL, "")
    assert sample[0] not in [r["id"] for r in await quality_queries.to_score(team.qa)]
