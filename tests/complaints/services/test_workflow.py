"""The regulated path end to end (A art. 12–18): each transition, its notice, its audit event."""

from datetime import date

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from kefu.audit import services as audit
from kefu.audit.tables import AuditEvent
from kefu.complaints import services
from kefu.complaints.services import TransitionNotAllowed
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests import factories
from tests.complaints.services.conftest import (
    TODAY,
    accepted,
    complaint_data,
    context,
    investigating,
    notices,
    reload,
    under_review,
)


async def audit_actions(tenant_id: int, complaint_id: int) -> list[str]:
    async with transaction(tenant_id, write=False):
        rows = await scoped(AuditEvent, tenant_id, AuditEvent.action).where(
            AuditEvent.object_type == "complaint", AuditEvent.object_id == complaint_id
        ).order_by(AuditEvent.id)
    return [r["action"] for r in rows]


async def test_incomplete_complaint_through_to_closing(desk):
    c = await services.register_complaint(desk.agent, complaint_data())
    assert c.status == "registered"
    assert c.number == f"TS2026-{1:06d}"
    # A art. 12: 5 working days after Mon 2026-03-02.
    assert c.materials_notice_due == date(2026, 3, 9)
    assert c.decision_due == date(2026, 3, 17)
    assert (c.next_due_kind, c.next_due) == ("materials_notice", date(2026, 3, 9))

    c = await services.request_materials(desk.agent, c.id, missing="保单复印件")
    assert c.status == "materials_incomplete"
    c = await services.mark_materials_complete(desk.agent, c.id, complete_on=date(2026, 3, 2))
    assert c.status == "under_review"
    # A art. 16: 10 working days after complete materials.
    assert c.acceptance_notice_due == date(2026, 3, 16)

    c = await services.review_complaint(desk.head, c.id, outcome="accept")
    assert c.status == "accepted"
    c = await services.assign_handler(desk.head, c.id, handler_id=desk.handler.user.id)
    assert (c.status, c.handler) == ("investigating", desk.handler.user.id)
    c = await services.record_decision(
        desk.handler, c.id, decision="partly", text="理赔延误属实。", remedy="赔付利息 120 元"
    )
    assert (c.status, c.decided_on) == ("decided", TODAY)
    c = await services.close_complaint(desk.handler, c.id)
    assert (c.status, c.closed_on, c.next_due) == ("closed", TODAY, None)

    owed = {(n["kind"], n["unique_key"], n["due_on"]) for n in await notices(desk.tenant.id, c.id)}
    assert owed == {
        ("materials_notice", f"complaint:{c.id}:materials_notice", date(2026, 3, 9)),
        ("acceptance_notice", f"complaint:{c.id}:acceptance_notice", date(2026, 3, 16)),
        ("assignment_notice", f"complaint:{c.id}:assigned:{desk.handler.user.id}", None),
        ("decision_notice", f"complaint:{c.id}:decision_notice", date(2026, 3, 17)),
    }
    assert await audit_actions(desk.tenant.id, c.id) == [
        "complaint.register", "complaint.request_materials", "complaint.complete_materials",
        "complaint.accept", "complaint.assign", "complaint.decide", "complaint.close",
    ]


def test_runs_on_the_configured_engine():
    import os

    from kefu.db import is_postgres

    assert is_postgres() == bool(os.environ.get("KEFU_TEST_DATABASE_URL"))


async def test_complete_materials_at_registration_go_straight_to_review(desk):
    c = await under_review(desk)
    assert (c.status, c.materials_incomplete, c.materials_complete_on) == (
        "under_review", False, TODAY
    )
    assert c.materials_notice_due is None
    assert c.acceptance_notice_due == date(2026, 3, 16)
    assert (c.next_due_kind, c.next_due, c.next_remind_on) == (
        "acceptance_notice", date(2026, 3, 16), date(2026, 3, 12)  # 2 working days before
    )


# From "registered", every action but these is refused with 409.
REFUSED_FROM_REGISTERED = [
    ("review_complaint", {"outcome": "accept"}, "head"),
    ("assign_handler", {"handler_id": None}, "head"),
    ("record_decision", {"decision": "upheld", "text": "t", "remedy": "r"}, "head"),
    ("grant_extension", {"reason": "复杂"}, "head"),
    ("pause_for_appraisal", {"reason": "鉴定"}, "head"),
    ("resume_after_appraisal", {}, "head"),
    ("close_complaint", {}, "head"),
]


@pytest.mark.parametrize(("service", "kwargs", "who"), REFUSED_FROM_REGISTERED)
async def test_transitions_not_allowed_from_registered_are_refused(desk, service, kwargs, who):
    c = await services.register_complaint(desk.agent, complaint_data())
    if "handler_id" in kwargs:
        kwargs = {"handler_id": desk.handler.user.id}
    with pytest.raises(TransitionNotAllowed) as refused:
        await getattr(services, service)(getattr(desk, who), c.id, **kwargs)
    assert refused.value.status_code == 409
    after = await reload(desk, c.id)
    assert (after.status, after.updated_at) == ("registered", c.updated_at)
    assert await notices(desk.tenant.id, c.id) == []


async def test_decided_and_closed_complaints_refuse_earlier_steps(desk):
    c = await investigating(desk)
    c = await services.record_decision(desk.handler, c.id, decision="not_upheld", text="无责任")
    for call in (
        services.review_complaint(desk.head, c.id, outcome="accept"),
        services.withdraw_complaint(desk.agent, c.id),
        services.mark_materials_complete(desk.agent, c.id),
    ):
        with pytest.raises(TransitionNotAllowed):
            await call
    await services.close_complaint(desk.handler, c.id)
    with pytest.raises(TransitionNotAllowed):
        await services.close_complaint(desk.handler, c.id)


@pytest.mark.parametrize(
    ("who", "service", "kwargs"),
    [
        ("qa", "register_complaint", None),
        ("agent", "review_complaint", {"outcome": "accept"}),
        ("handler", "review_complaint", {"outcome": "accept"}),
        ("ops", "review_complaint", {"outcome": "accept"}),
        ("qa", "request_materials", {"missing": "x"}),
        ("agent", "assign_handler", {"handler_id": 0}),
        ("handler", "grant_extension", {"reason": "x"}),
        ("agent", "mark_major", {}),
    ],
)
async def test_missing_permission_is_refused_and_changes_nothing(desk, who, service, kwargs):
    c = await under_review(desk)
    ctx = getattr(desk, who)
    with pytest.raises(PermissionDeniedException):
        if kwargs is None:
            await services.register_complaint(ctx, complaint_data())
        else:
            await getattr(services, service)(ctx, c.id, **kwargs)
    assert (await reload(desk, c.id)).status == "under_review"


async def test_another_tenants_complaint_is_not_found(desk, other_desk):
    c = await under_review(desk)
    with pytest.raises(NotFoundException):
        await services.review_complaint(other_desk.head, c.id, outcome="accept")
    with pytest.raises(NotFoundException):
        await services.get_complaint(other_desk.head, c.id)
    assert (await reload(desk, c.id)).status == "under_review"


async def test_rejection_notice_states_ground_and_reason(desk):
    c = await under_review(desk)
    with pytest.raises(FieldError) as missing:
        await services.review_complaint(desk.head, c.id, outcome="not_accept", ground="a15_1")
    assert missing.value.field == "reason"
    with pytest.raises(FieldError) as bad_ground:
        await services.review_complaint(
            desk.head, c.id, outcome="not_accept", ground="a99", reason="x"
        )
    assert bad_ground.value.field == "ground"
    c = await services.review_complaint(
        desk.head, c.id, outcome="not_accept", ground="a15_1", reason="代理人未提供授权委托书。"
    )
    assert (c.status, c.review_ground, c.closed_on) == ("not_accepted", "a15_1", TODAY)
    [notice] = await notices(desk.tenant.id, c.id)
    assert (notice["kind"], notice["due_on"]) == ("rejection_notice", date(2026, 3, 16))
    assert "投诉不是由保险消费者本人或者其受托人提出" in notice["data"]["reason"]
    assert "代理人未提供授权委托书" in notice["data"]["reason"]
    assert notice["unique_key"] == f"complaint:{c.id}:acceptance_notice"


@pytest.mark.parametrize(
    ("outcome", "kwargs", "status", "to"),
    [
        ("transfer_out", {"unit": "某某保险公司北京分公司"}, "transferred_out", "某某保险公司北京分公司"),
        ("transfer_internal", {"department": "理赔部"}, "transferred_internal", "理赔部"),
    ],
)
async def test_transfers_name_where_the_complaint_went(desk, outcome, kwargs, status, to):
    c = await under_review(desk)
    with pytest.raises(FieldError):
        await services.review_complaint(desk.head, c.id, outcome=outcome)
    c = await services.review_complaint(desk.head, c.id, outcome=outcome, **kwargs)
    assert c.status == status
    [notice] = await notices(desk.tenant.id, c.id)
    assert (notice["kind"], notice["data"]["transferred_to"]) == ("transfer_notice", to)


async def test_a_failure_after_the_notice_rolls_back_both(desk, monkeypatch):
    c = await under_review(desk)

    async def broken(**kw):
        raise RuntimeError("audit store down")

    # Given the acceptance notice is written, when the audit event then fails ...
    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        await services.review_complaint(desk.head, c.id, outcome="accept")
    monkeypatch.undo()
    # ... neither the change nor the notice is there.
    assert (await reload(desk, c.id)).status == "under_review"
    assert await notices(desk.tenant.id, c.id) == []


async def test_only_members_who_may_handle_can_be_assigned(desk):
    c = await accepted(desk)
    # (The insurer's agents are handlers by the pack's handler_positions: test_pack_rules.)
    for user in (desk.qa.user, desk.ops.user):
        with pytest.raises(FieldError) as refused:
            await services.assign_handler(desk.head, c.id, handler_id=user.id)
        assert refused.value.field == "handler"
    c = await services.assign_handler(desk.head, c.id, handler_id=desk.handler.user.id)
    # Reassigning keeps it under investigation.
    c = await services.assign_handler(desk.head, c.id, handler_id=desk.head.user.id)
    assert (c.status, c.handler) == ("investigating", desk.head.user.id)


async def test_only_the_handler_or_a_reviewer_decides(desk):
    c = await investigating(desk)
    other = await context(desk.tenant, await factories.member(desk.tenant, ["cs_manager"]))
    with pytest.raises(PermissionDeniedException):
        await services.record_decision(other, c.id, decision="upheld", text="t", remedy="r")
    with pytest.raises(FieldError) as no_remedy:
        await services.record_decision(desk.handler, c.id, decision="upheld", text="属实")
    assert no_remedy.value.field == "remedy"
    c = await services.record_decision(desk.head, c.id, decision="upheld", text="属实", remedy="退费")
    [decision] = [n for n in await notices(desk.tenant.id, c.id) if n["kind"] == "decision_notice"]
    assert decision["data"]["outcome"] == "支持"
    assert decision["data"]["decision"] == "属实"
    assert decision["channel"] == "email"
