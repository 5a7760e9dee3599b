"""Training sessions and the yearly training plan (A art. 8; B.n, C.o). A session records who
attended and each one's result in one transaction: each attendee's result is a TrainingRecord
naming the session, so a pass clears them at the gate (services.training.require_cleared) at
once, and each pass gets its certificate number (unique in the tenant, never changed). A plan line is a course a department plans for a month of a year; the plan page sets it
beside the sessions held."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import is_unique_violation, transaction
from kefu.duties.policy import training as rules
from kefu.duties.policy.pack import DutyPack
from kefu.duties.queries.config import pack_of
from kefu.duties.tables import TrainingPlanItem, TrainingRecord, TrainingSession
from kefu.tenancy.queries import is_active_member

TRAIN = "duties.training"
MAX_TEXT = 100
MAX_ATTENDEES = 500


@dataclass(frozen=True)
class Attendance:
    user_id: int
    passed: bool
    score: int | None = None


def _text(field: str, value: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise FieldError(field, "At most %(max)s characters.", max=limit)
    return value


async def record_session(
    ctx: TenantContext, *, course: str, session_on: date, attendees: Sequence[Attendance], department: str = "",
    trainer: str = "", place: str = "",
) -> TrainingSession:
    """A session held, with each attendee's result. Raises FieldError (course, department,
    session_on, trainer, place, attended: none, too many, twice, or not a member; score),
    403 (duties.training)."""
    ctx.require(TRAIN)
    pack = await pack_of(ctx.tenant_id, ctx.tenant.kind)
    _check_session(ctx, pack, course, department, session_on, attendees)
    trainer, place = _text("trainer", trainer), _text("place", place)
    ids = [a.user_id for a in attendees]
    expires = rules.expiry(session_on, pack.courses[course].valid_months)
    async with transaction(ctx.tenant_id):
        for user_id in ids:
            if not await is_active_member(ctx.tenant_id, user_id):
                raise FieldError("attended", "Choose one of the listed values.")
        row = TrainingSession(tenant=ctx.tenant_id, course=course, department=department, session_on=session_on,
                              trainer=trainer, place=place, created_by=ctx.user.id)
        await row.save()
        passed = []
        for a in attendees:
            record = TrainingRecord(
                tenant=ctx.tenant_id, user=a.user_id, course=course, session_on=session_on, trainer=trainer,
                result="passed" if a.passed else "failed", score=a.score,
                expires_on=expires if a.passed else None, recorded_by=ctx.user.id, session=row.id,
            )
            await record.save()
            if a.passed:
                passed.append((a.user_id, record.id))
        numbers = await _issue_certificates(ctx.tenant_id, course, session_on.year, [rid for _, rid in passed])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="training.session",
                           object_type="training_session", object_id=row.id,
                           after={"course": course, "session_on": session_on.isoformat(), "department": department,
                                  "attended": ids, "passed": [uid for uid, _ in passed],
                                  "certificates": dict(zip([str(uid) for uid, _ in passed], numbers, strict=True))})
    return row


def _check_session(ctx: TenantContext, pack: DutyPack, course: str, department: str, session_on: date,
                   attendees: Sequence[Attendance]) -> None:
    """The form's fields against the pack and the calendar; FieldError naming the first wrong one."""
    if course not in pack.courses:
        raise FieldError("course", "Choose one of the listed values.")
    if department and department not in pack.departments:
        raise FieldError("department", "Choose one of the listed values.")
    if session_on > clock.today_in(ctx.tenant.timezone):
        raise FieldError("session_on", "The date cannot be in the future.")
    ids = [a.user_id for a in attendees]
    if not ids:
        raise FieldError("attended", "Choose at least one attendee.")
    if len(ids) > MAX_ATTENDEES or len(set(ids)) != len(ids):
        raise FieldError("attended", "Choose one of the listed values.")
    if any(a.score is not None and not 0 <= a.score <= 100 for a in attendees):
        raise FieldError("score", "Enter a number from %(min)s to %(max)s.", min=0, max=100)


async def _issue_certificates(tenant_id: int, course: str, year: int, record_ids: list[int]) -> list[str]:
    """Number the passes' certificates, after the tenant's last of that course and year. A
    unique index (tenant, number) of issued certificates keeps two sessions recorded at the same
    moment from sharing one: the later one takes the next numbers (in a savepoint, so the
    session itself stands)."""
    if not record_ids:
        return []
    prefix = rules.certificate_prefix(course, year)
    for attempt in range(5):
        try:
            async with transaction(tenant_id):
                issued = [r["certificate_no"] for r in await scoped(
                    TrainingRecord, tenant_id, TrainingRecord.certificate_no).where(
                    TrainingRecord.session.is_not_null(), TrainingRecord.certificate_no.like(f"{prefix}%"))]
                numbers = rules.certificate_numbers(course, year, issued, len(record_ids))
                for record_id, number in zip(record_ids, numbers, strict=True):
                    await TrainingRecord.update({TrainingRecord.certificate_no: number}).where(
                        TrainingRecord.tenant == tenant_id, TrainingRecord.id == record_id)
            return numbers
        except Exception as exc:
            if attempt == 4 or not is_unique_violation(exc):
                raise
    raise AssertionError("unreachable")


async def add_plan_item(ctx: TenantContext, *, year: int, department: str, course: str, month: int,
                        note: str = "") -> TrainingPlanItem:
    """A line of a department's yearly training plan. Raises FieldError (year, department,
    course, month, note), 403 (duties.training)."""
    ctx.require(TRAIN)
    pack = await pack_of(ctx.tenant_id, ctx.tenant.kind)
    this_year = clock.today_in(ctx.tenant.timezone).year
    if not this_year - 1 <= year <= this_year + 1:
        raise FieldError("year", "Enter a number from %(min)s to %(max)s.", min=this_year - 1, max=this_year + 1)
    if department not in pack.departments:
        raise FieldError("department", "Choose one of the listed values.")
    if course not in pack.courses:
        raise FieldError("course", "Choose one of the listed values.")
    if not 1 <= month <= 12:
        raise FieldError("month", "Enter a number from %(min)s to %(max)s.", min=1, max=12)
    note = _text("note", note, 200)
    async with transaction(ctx.tenant_id):
        row = TrainingPlanItem(tenant=ctx.tenant_id, year=year, department=department, course=course, month=month,
                               note=note, created_by=ctx.user.id)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="training.plan",
                           object_type="training_plan_item", object_id=row.id,
                           after={"year": year, "department": department, "course": course, "month": month})
    return row
