"""The online method (art. 23(1)): a task that falls back to online sends the customer a survey
round's invitation with the campaign's questions; their answer completes the task with a locked
record; the sweep sends tasks that start online and catches up answers not heard."""

from __future__ import annotations

import json

import pytest

from kefu.audit.tables import AuditEvent
from kefu.callbacks import schemas, services
from kefu.callbacks.services.online import complete_from_answer, sweep_online
from kefu.callbacks.tables import CallbackOnline, CallbackRecord, CallbackTask
from kefu.core.errors import Refused
from kefu.core.forms import Form
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.tables import Notice
from kefu.surveys.queries.direct import answers_of
from kefu.surveys.services import answering
from kefu.surveys.tables import SurveyInvitation, SurveyResponse, SurveyRound
from tests.callbacks import factories as cf
from tests.callbacks.conftest import Team


def attempt(outcome: str) -> schemas.AttemptInput:
    return schemas.attempt_input(Form({"outcome": outcome}), "Asia/Shanghai")


async def _campaign_task(team: Team, name: str = "李女士", campaign_id: int | None = None) -> tuple[int, int]:
    if campaign_id is None:
        data = schemas.campaign_input(cf.campaign_form(), services_pack(team))
        campaign_id = (await services.create_campaign(team.head, data)).id
    from datetime import timedelta

    from kefu.callbacks.policy.tasks import NewTask
    from kefu.core import clock

    today = clock.today_in("Asia/Shanghai")
    task = await services.add_task(team.head, NewTask(
        kind="service_satisfaction", origin="campaign", campaign_id=campaign_id, methods=("phone", "online", "onsite"),
        attempt_limit=2, opens_on=today, due_on=today + timedelta(days=5), customer_name=name,
        customer_phone="13900139000", reference="P-2026-0001"))
    return campaign_id, task.id


def services_pack(team: Team):
    from kefu.callbacks.policy.pack import callbacks_for

    return callbacks_for(team.tenant.kind)


async def _fall_back(team: Team, task_id: int) -> None:
    await services.log_attempt(team.agent, task_id, attempt("no_answer"))
    await services.log_attempt(team.agent, task_id, attempt("busy"))


async def _link(team: Team, task_id: int) -> dict | None:
    async with transaction(team.tenant.id, write=False):
        return await scoped(CallbackOnline, team.tenant.id).where(CallbackOnline.task == task_id).first()


async def _token(team: Team, invitation_id: int) -> str:
    async with transaction(team.tenant.id, write=False):
        rows = await scoped(SurveyInvitation, team.tenant.id, SurveyInvitation.token).where(
            SurveyInvitation.id == invitation_id)
    return rows[0]["token"]


async def _answer(team: Team, token: str, answers: dict[str, str]):
    return await answering.submit(team.tenant, token, {f"q_{k}": [v] for k, v in answers.items()}, None, "127.0.0.1")


async def test_fallback_to_online_sends_the_campaigns_questions_and_the_answer_locks_the_record(team: Team):
    campaign_id, task_id = await _campaign_task(team)
    assert await _link(team, task_id) is None
    await _fall_back(team, task_id)
    link = await _link(team, task_id)
    assert link is not None and link["campaign_id"] == campaign_id and link["channel"] == "sms"
    async with transaction(team.tenant.id, write=False):
        rnd = await scoped(SurveyRound, team.tenant.id).where(SurveyRound.id == link["round_id"]).first()
        notices = await scoped(Notice, team.tenant.id, Notice.kind, Notice.subject_id).where(
            Notice.subject_id == link["invitation_id"], Notice.kind == "survey_invitation")
    definition = json.loads(rnd["definition"]) if isinstance(rnd["definition"], str) else rnd["definition"]
    titles = [q["title"] for s in definition["sections"] for q in s["questions"]]
    assert titles == ["您对理赔服务满意吗？", "还有什么建议？"] and rnd["status"] == "open"
    assert len(notices) == 1  # the link goes to the customer's phone

    token = await _token(team, link["invitation_id"])
    outcome = await _answer(team, token, {"q1": "很满意", "q2": "无"})
    assert outcome.kind == "saved"
    async with transaction(team.tenant.id, write=False):
        task = await scoped(CallbackTask, team.tenant.id).where(CallbackTask.id == task_id).first()
        record = await scoped(CallbackRecord, team.tenant.id).where(CallbackRecord.task == task_id).first()
        events = await scoped(AuditEvent, team.tenant.id, AuditEvent.action, AuditEvent.actor.as_alias("actor")).where(
            AuditEvent.object_type == "callback_record", AuditEvent.object_id == record["id"])
    assert task["status"] == "done" and task["done_at"] is not None
    answers = json.loads(record["answers"]) if isinstance(record["answers"], str) else record["answers"]
    assert (record["status"], record["method"], answers) == ("submitted", "online", {"q1": "很满意", "q2": "无"})
    assert record["locked_at"] is not None and record["retain_until"] is not None
    assert [(e["action"], e["actor"]) for e in events] == [("callback_record.submit", None)]
    # locked: the agent cannot rewrite it, only amend
    with pytest.raises(Refused) as refused:
        await services.save_record(team.manager, task_id, schemas.RecordInput(
            answers={}, notes="改", recording_ref="", callback_on=None))
    assert refused.value.code in ("record_locked", "task_closed")


async def test_one_round_per_campaign_one_invitation_per_task(team: Team):
    campaign_id, first = await _campaign_task(team, "甲")
    _, second = await _campaign_task(team, "乙", campaign_id)
    _, other = await _campaign_task(team, "丙")  # another campaign: its own round
    for t in (first, second, other):
        await _fall_back(team, t)
    a, b, c = await _link(team, first), await _link(team, second), await _link(team, other)
    assert a["round_id"] == b["round_id"] != c["round_id"] and a["invitation_id"] != b["invitation_id"]
    async with transaction(team.tenant.id, write=False):
        rnd = await scoped(SurveyRound, team.tenant.id, SurveyRound.invited_count).where(
            SurveyRound.id == a["round_id"])
    assert rnd[0]["invited_count"] == 2
    assert await sweep_online(team.tenant) == 0  # nothing left to send, nothing answered


async def test_an_answer_heard_twice_completes_once(team: Team):
    _, task_id = await _campaign_task(team)
    await _fall_back(team, task_id)
    link = await _link(team, task_id)
    await _answer(team, await _token(team, link["invitation_id"]), {"q1": "满意", "q2": "无"})
    async with transaction(team.tenant.id, write=False):
        heard = await answers_of(team.tenant.id, [link["invitation_id"]])
    assert not await complete_from_answer(heard[link["invitation_id"]])
    async with transaction(team.tenant.id, write=False):
        assert len(await scoped(CallbackRecord, team.tenant.id).where(CallbackRecord.task == task_id)) == 1


async def test_the_sweep_sends_tasks_that_start_online_and_catches_up_unheard_answers(team: Team, monkeypatch):
    task_id = await cf.task(team.tenant, ctx=team.head, methods=("online", "phone"), name="赵先生")
    assert await _link(team, task_id) is None
    assert await sweep_online(team.tenant) == 1
    link = await _link(team, task_id)
    assert link is not None
    # the listener did not run (a crash after the answer's commit): the sweep completes the task
    from kefu.surveys.services import direct

    async def nothing(event) -> None:
        return None

    monkeypatch.setattr(direct, "_listeners", [nothing])
    async with transaction(team.tenant.id, write=False):
        rnd = await scoped(SurveyRound, team.tenant.id).where(SurveyRound.id == link["round_id"]).first()
    definition = json.loads(rnd["definition"]) if isinstance(rnd["definition"], str) else rnd["definition"]
    assert [q["key"] for s in definition["sections"] for q in s["questions"]] == ["q1", "q2"]  # the default pair
    await _answer(team, await _token(team, link["invitation_id"]), {"q1": "满意"})
    async with transaction(team.tenant.id, write=False):
        assert (await scoped(CallbackTask, team.tenant.id).where(CallbackTask.id == task_id).first())["status"] == "open"
    assert await sweep_online(team.tenant) == 1
    async with transaction(team.tenant.id, write=False):
        assert (await scoped(CallbackTask, team.tenant.id).where(CallbackTask.id == task_id).first())["status"] == "done"
        assert len(await scoped(SurveyResponse, team.tenant.id).where(
            SurveyResponse.invitation == link["invitation_id"])) == 1
    assert await sweep_online(team.tenant) == 0


async def test_a_task_done_another_way_keeps_the_late_answer_in_the_round_only(team: Team):
    _, task_id = await _campaign_task(team)
    await _fall_back(team, task_id)
    link = await _link(team, task_id)
    await services.take_task(team.manager, task_id)
    await services.save_record(team.manager, task_id, schemas.RecordInput(
        answers={"q1": "电话里说满意"}, notes="", recording_ref="", callback_on=None), submit=True)
    outcome = await _answer(team, await _token(team, link["invitation_id"]), {"q1": "后来又答", "q2": "无"})
    assert outcome.kind == "saved"
    async with transaction(team.tenant.id, write=False):
        record = await scoped(CallbackRecord, team.tenant.id).where(CallbackRecord.task == task_id).first()
    answers = json.loads(record["answers"]) if isinstance(record["answers"], str) else record["answers"]
    assert answers["q1"] == "电话里说满意" and record["method"] == "online"


async def test_a_failing_listener_never_loses_the_answer(team: Team, monkeypatch):
    from kefu.surveys.services import direct

    async def broken(event) -> None:
        raise RuntimeError("listener down")

    _, task_id = await _campaign_task(team)
    await _fall_back(team, task_id)
    link = await _link(team, task_id)
    monkeypatch.setattr(direct, "_listeners", [broken])
    outcome = await _answer(team, await _token(team, link["invitation_id"]), {"q1": "满意", "q2": "无"})
    assert outcome.kind == "saved" and outcome.response_id
    async with transaction(team.tenant.id, write=False):
        assert (await scoped(CallbackTask, team.tenant.id).where(CallbackTask.id == task_id).first())["status"] == "open"
    monkeypatch.setattr(direct, "_listeners", [])
    assert await sweep_online(team.tenant) == 1  # the sweep catches it up
    async with transaction(team.tenant.id, write=False):
        assert (await scoped(CallbackTask, team.tenant.id).where(CallbackTask.id == task_id).first())["status"] == "done"


async def test_answers_to_ordinary_surveys_are_not_looked_up_again(team: Team, monkeypatch):
    """The answer page is the hot path: once an ordinary round is known to send no callback's
    questions, its later answers cost the callbacks module nothing; a callback round still works."""
    from kefu.callbacks.services import online
    from kefu.surveys.schemas.direct import Answered

    ordinary = Answered(tenant_id=team.tenant.id, round_id=10_000_001, invitation_id=10_000_001,
                        response_id=1, answers={"q1": "满意"})
    assert not await complete_from_answer(ordinary)

    def no_lookup(*args, **kwargs):
        raise AssertionError("looked up again")

    with monkeypatch.context() as patched:
        patched.setattr(online, "scoped_objects", no_lookup)
        assert not await complete_from_answer(Answered(
            tenant_id=team.tenant.id, round_id=10_000_001, invitation_id=10_000_002, response_id=2, answers={}))

    _, task_id = await _campaign_task(team)  # a callback round's answer still completes its task
    await _fall_back(team, task_id)
    link = await _link(team, task_id)
    await _answer(team, await _token(team, link["invitation_id"]), {"q1": "满意", "q2": "无"})
    async with transaction(team.tenant.id, write=False):
        task = await scoped(CallbackTask, team.tenant.id, CallbackTask.status).where(CallbackTask.id == task_id)
    assert task[0]["status"] == "done"
