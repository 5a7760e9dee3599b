"""Contact details (A art. 11), the governance register (A art. 19), materials, notes, the
public status page and the property centre's major complaints (B.k)."""

import hashlib
from datetime import date

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from kefu.complaints import services
from kefu.complaints.services import TransitionNotAllowed
from kefu.core.errors import FieldError
from kefu.settings import get_settings
from tests.complaints.services.conftest import (
    TODAY,
    complaint_data,
    investigating,
    make_desk,
    notices,
)

PDF = b"%PDF-1.4\n" + b"x" * 100


async def test_contact_details_are_published_and_shown_in_notices(desk):
    assert await services.get_contact_info(desk.tenant) is None
    with pytest.raises(PermissionDeniedException):
        await services.update_contact_info(desk.agent, phone="95500")
    with pytest.raises(FieldError) as bad:
        await services.update_contact_info(desk.head, email="not-an-email")
    assert bad.value.field == "email"
    await services.update_contact_info(
        desk.head, phone="95500", fax="010-12345678", postal_address="北京市某区某路1号",
        reception_address="某路1号一层客服中心", email="ts@example.test",
    )
    await services.update_contact_info(desk.head, phone="95501")
    info = await services.get_contact_info(desk.tenant)
    assert (info.phone, info.fax, info.email) == ("95501", "010-12345678", "ts@example.test")
    c = await services.register_complaint(desk.agent, complaint_data())
    await services.request_materials(desk.agent, c.id, missing="保单")
    [notice] = await notices(desk.tenant.id, c.id)
    assert notice["data"]["contact_phone"] == "95501"


async def test_governance_documents_are_versioned_per_kind(desk):
    first = await services.add_governance_document(
        desk.head, kind="complaint_rules", title="投诉管理办法", body="第一条……",
        filed_with_regulator_on=date(2026, 1, 15),
    )
    second = await services.add_governance_document(desk.head, kind="complaint_rules", body="修订")
    other = await services.add_governance_document(desk.head, kind="responsible_persons", body="名单")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    with pytest.raises(FieldError) as bad:
        await services.add_governance_document(desk.head, kind="menu", body="x")
    assert bad.value.field == "kind"
    with pytest.raises(FieldError) as future:
        await services.add_governance_document(
            desk.head, kind="evaluation_rules", body="x", filed_with_regulator_on=date(2026, 4, 1)
        )
    assert future.value.field == "filed_with_regulator_on"


async def test_materials_are_stored_outside_the_web_root(desk, other_desk):
    c = await services.register_complaint(desk.agent, complaint_data())
    row = await services.add_attachment(
        desk.agent, c.id, filename="../../保单.pdf", content_type="application/pdf", data=PDF
    )
    assert (row.filename, row.size, row.sha256) == ("保单.pdf", len(PDF), hashlib.sha256(PDF).hexdigest())
    got, path = await services.open_attachment(desk.qa, row.id)
    assert path.read_bytes() == PDF
    assert get_settings().var_dir in path.parents
    with pytest.raises(NotFoundException):
        await services.open_attachment(other_desk.head, row.id)
    for name, kind, data in (
        ("a.exe", "application/x-msdownload", b"MZ"),
        ("fake.pdf", "application/pdf", b"MZ\x90\x00"),
        ("empty.pdf", "application/pdf", b""),
    ):
        with pytest.raises(FieldError) as bad:
            await services.add_attachment(desk.agent, c.id, filename=name, content_type=kind, data=data)
        assert bad.value.field == "file"


async def test_the_public_status_page_shows_status_and_dates_only(desk, other_desk):
    c = await investigating(desk)
    await services.add_note(desk.handler, c.id, body="内部：客户情绪激动")
    status = await services.public_status(desk.tenant, c.public_token)
    assert (status.number, status.status, status.received_on, status.decision_due) == (
        c.number, "investigating", TODAY, date(2026, 3, 17)
    )
    assert "内部" not in repr(status)
    assert not {"handler", "notes", "description"} & set(status.__struct_fields__)
    assert await services.public_status(other_desk.tenant, c.public_token) is None
    assert await services.public_status(desk.tenant, "guess") is None
    assert services.deadlines_view(c) == {
        "materials_notice_due": None, "acceptance_notice_due": "2026-03-16",
        "decision_due": "2026-03-17", "regulator_report_due": None, "provisional": False,
    }


async def test_notes_need_text_and_view_permission(desk):
    c = await services.register_complaint(desk.agent, complaint_data())
    with pytest.raises(FieldError):
        await services.add_note(desk.agent, c.id, body="  ")
    note = await services.add_note(desk.qa, c.id, body="质检：录音已调取")
    assert (note.kind, note.author) == ("note", desk.qa.user.id)
    with pytest.raises(FieldError):
        await services.add_note(desk.head, c.id, body="报告", kind="major_report")  # not major


async def test_a_major_complaint_closes_only_after_its_written_report():
    centre = await make_desk("property")
    c = await services.register_complaint(
        centre.agent, complaint_data(category="repair", materials_complete=True)
    )
    c = await services.mark_major(centre.head, c.id)
    c = await services.review_complaint(centre.head, c.id, outcome="accept")
    c = await services.assign_handler(centre.head, c.id, handler_id=centre.handler.user.id)
    c = await services.record_decision(
        centre.handler, c.id, decision="upheld", text="漏水属实", remedy="免费维修"
    )
    with pytest.raises(TransitionNotAllowed):
        await services.close_complaint(centre.handler, c.id)
    await services.add_note(
        centre.handler, c.id, kind="major_report", body="处理结果及业主反应：已维修，业主满意。"
    )
    c = await services.close_complaint(centre.handler, c.id)
    assert c.status == "closed"
