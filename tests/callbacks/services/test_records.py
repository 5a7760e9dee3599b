"""Records (art. 25): a draft is edited, a submitted record is locked; corrections only as an
addendum, and the audit log holds both the submitted text and the correction."""

from __future__ import annotations

import json

import pytest

from kefu.audit.tables import AuditEvent
from kefu.callbacks import queries, schemas, services
from kefu.callbacks.tables import CallbackRecord
from kefu.core.errors import FieldError, Refused
from kefu.core.files import Upload
from kefu.core.forms import Form
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests.callbacks import factories as cf
from tests.callbacks.conftest import TODAY, Team

QUESTIONS = [{"code": "q1", "text": "满意吗？"}]


def record(notes: str, answer: str = "满意") -> schemas.RecordInput:
    return schemas.record_input(Form({"notes": notes, "answer_q1": answer, "recording_ref": "CC-7781"}), QUESTIONS)


async def stored(team: Team, record_id: int) -> dict:
    async with transaction(team.tenant.id, write=False):
        rows = await scoped(CallbackRecord, team.tenant.id, CallbackRecord.notes, CallbackRecord.status,
                            CallbackRecord.retain_until, CallbackRecord.answers).where(CallbackRecord.id == record_id)
    return rows[0]


async def test_a_locked_record_is_only_amended_and_the_audit_shows_both(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head)
    draft = await services.save_record(team.agent, task_id, record("初稿"))
    draft = await services.save_record(team.agent, task_id, record("客户表示满意"))  # a draft is edited
    assert (await stored(team, draft.id))["notes"] == "客户表示满意"
    submitted = await services.save_record(team.agent, task_id, record("客户表示满意"), submit=True)
    assert submitted.id == draft.id
    found = await stored(team, draft.id)
    assert found["status"] == "submitted"
    assert found["retain_until"] == TODAY.replace(year=TODAY.year + 5)  # the insurance pack keeps 5 years
    async with transaction(team.tenant.id, write=False):
        assert (await queries.task_row(team.tenant.id, task_id))["status"] == "done"

    with pytest.raises(Refused) as refused:
        await services.save_record(team.agent, task_id, record("改过的内容"))
    assert refused.value.code == "record_locked"
    assert (await stored(team, draft.id))["notes"] == "客户表示满意"

    await services.amend_record(team.agent, draft.id, "notes", "客户补充：希望加快理赔")
    assert (await stored(team, draft.id))["notes"] == "客户表示满意"  # the record itself is untouched
    async with transaction(team.tenant.id, write=False):
        addenda = await queries.addenda_of(team.tenant.id, draft.id)
        events = await scoped(AuditEvent, team.tenant.id, AuditEvent.action, AuditEvent.before, AuditEvent.after).where(
            AuditEvent.object_type == "callback_record", AuditEvent.object_id == draft.id).order_by(AuditEvent.id)
    assert [a["text"] for a in addenda] == ["客户补充：希望加快理赔"]
    assert [e["action"] for e in events] == ["callback_record.submit", "callback_record.amend"]
    submit, amend = (json.loads(e["after"]) if isinstance(e["after"], str) else e["after"] for e in events)
    assert submit["notes"] == "客户表示满意" and submit["answers"] == {"q1": "满意"}
    before = json.loads(events[1]["before"]) if isinstance(events[1]["before"], str) else events[1]["before"]
    assert before == {"field": "notes", "value": "客户表示满意"}
    assert amend["addendum"] == "客户补充：希望加快理赔"


async def test_a_draft_takes_no_addendum_and_others_cannot_amend(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head)
    draft = await services.save_record(team.agent, task_id, record("初稿"))
    with pytest.raises(Refused) as refused:
        await services.amend_record(team.agent, draft.id, "notes", "x")
    assert refused.value.code == "record_not_submitted"
    await services.save_record(team.agent, task_id, record("定稿"), submit=True)
    with pytest.raises(Refused) as refused:
        await services.amend_record(team.sales, draft.id, "notes", "x")
    assert refused.value.code == "not_yours"
    await services.amend_record(team.head, draft.id, "answer_q1", "非常满意")  # a manager may


async def test_attachments_are_checked_and_stored(team: Team):
    task_id = await cf.task(team.tenant, ctx=team.head)
    draft = await services.save_record(team.agent, task_id, record("上门"))
    with pytest.raises(FieldError) as bad:
        await services.attach_file(team.agent, draft.id, Upload("a.exe", "application/x-msdownload", b"MZ"))
    assert bad.value.field == "file"
    f = await services.attach_file(team.agent, draft.id, Upload("签字表.pdf", "application/pdf", b"%PDF-1.4 x"))
    async with transaction(team.tenant.id, write=False):
        meta, ref = await queries.file_of(team.agent, f.id)
    assert services.open_file(ref)[0] == b"%PDF-1.4 x" and meta["filename"] == "签字表.pdf"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"notes": "x" * 5001}, "notes"),
        ({"notes": "bad\x01"}, "notes"),
        ({"recording_ref": "r" * 201}, "recording_ref"),
        ({"callback_on": "2026-13-01"}, "callback_on"),
        ({"callback_on": "２０２６-03-01"}, "callback_on"),
        ({"answer_q1": "a" * 2001}, "answer_q1"),
    ],
)
def test_bad_record_input_names_the_field(data, field):
    with pytest.raises(FieldError) as bad:
        schemas.record_input(Form(data), QUESTIONS)
    assert field in bad.value.translated_all()
