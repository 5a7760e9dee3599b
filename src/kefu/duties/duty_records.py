"""Duties' own record that closes duty tasks (kefu.duties.registry.duty_record): B.j's department
meeting of the period, once minuted."""

from __future__ import annotations

from kefu.duties.queries.meetings import minutes_between
from kefu.duties.registry import Span, Target, duty_record, record_link


@duty_record("duties.meeting_minutes")
async def meeting_minutes(tenant_id: int, span: Span) -> str | None:
    meeting = await minutes_between(tenant_id, "department", span.start, span.end)
    return f"meeting:{meeting}" if meeting else None


@record_link("meeting", "会议纪要", "Meeting minutes", permission="duties.board")
async def meeting_page(tenant_id: int, meeting_id: int) -> Target | None:
    return ("duties.meeting", {"meeting_id": meeting_id}, "")
