"""Duties' own record that closes duty tasks (kefu.duties.registry.duty_record): B.j's department
meeting of the period, once minuted."""

from __future__ import annotations

from kefu.duties.queries.meetings import minutes_between
from kefu.duties.registry import Span, duty_record


@duty_record("duties.meeting_minutes")
async def meeting_minutes(tenant_id: int, span: Span) -> str | None:
    meeting = await minutes_between(tenant_id, "department", span.start, span.end)
    return f"meeting:{meeting}" if meeting else None
