"""Pre-job training (A art. 8; B.n, C.o): results per person and course, and the one gate every
module calls before service work: `require_cleared`."""

from __future__ import annotations

from datetime import date

from litestar.exceptions import ClientException

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.policy import training as rules
from kefu.duties.policy.pack import DutyPack
from kefu.duties.queries.config import pack_of
from kefu.duties.queries.holders import holders_on
from kefu.duties.tables import TrainingRecord
from kefu.tenancy.queries import is_active_member

TRAIN = "duties.training"
RESULTS = ("passed", "failed")
MAX_TEXT = 100


async def certificates(tenant_id: int, user_id: int) -> list[rules.Certificate]:
    rows = await scoped(TrainingRecord, tenant_id, TrainingRecord.course, TrainingRecord.result,
                        TrainingRecord.session_on, TrainingRecord.expires_on).where(TrainingRecord.user == user_id)
    return [rules.Certificate(r["course"], r["result"], r["session_on"], r["expires_on"]) for r in rows]


async def missing_training(tenant_id: int, kind: str, user_id: int, day: date) -> list[str]:
    """The courses `user_id`'s positions require that they have no valid certificate of on `day`."""
    pack = await pack_of(tenant_id, kind)
    held = await holders_on(tenant_id, pack, day)
    required = pack.training_of(held.positions_of(user_id))
    if not required:
        return []
    async with transaction(tenant_id, write=False):
        certs = await certificates(tenant_id, user_id)
    return rules.missing(required, certs, day)


class NotCleared(Refused, ClientException):
    """The training gate's refusal: code "training_missing", words naming the missing courses.
    A ClientException too, so where no page shows it the app answers 409 (the API with its code)."""

    status_code = 409

    def __init__(self, message: str, **variables: object) -> None:
        ClientException.__init__(self, detail="training_missing")
        Refused.__init__(self, "training_missing", message, **variables)

    def __str__(self) -> str:
        return self.code


def course_names(pack: DutyPack, codes: list[str]) -> str:
    english = i18n.current_locale() == "en"
    return "、".join(pack.courses[c].name_en if english else pack.courses[c].name for c in codes)


async def require_cleared(ctx: TenantContext, member_id: int, work: str) -> None:
    """The training gate (A art. 8: staff take service work only after their pre-job training).
    Raises NotCleared (a Refused, code "training_missing") naming the missing courses when the member's positions
    require training they have not passed, or whose certificate has expired. `work` names the
    service work asked for ("complaints.register"), for the message."""
    today = clock.today_in(ctx.tenant.timezone)
    missing = await missing_training(ctx.tenant_id, ctx.tenant.kind, member_id, today)
    if missing:
        names = course_names(await pack_of(ctx.tenant_id, ctx.tenant.kind), missing)
        if member_id == ctx.user.id:
            raise NotCleared("You cannot do this yet: complete the required training first (%(courses)s).",
                          courses=names, work=work)
        raise NotCleared("This member cannot take this work yet: required training missing (%(courses)s).",
                      courses=names, work=work)


def _text(field: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise FieldError(field, "At most %(max)s characters.", max=MAX_TEXT)
    return value


async def record_training(
    ctx: TenantContext, *, user_id: int, course: str, session_on: date, result: str = "passed",
    score: int | None = None, trainer: str = "", certificate_no: str = "",
) -> TrainingRecord:
    """One person's attendance and result of a course session; a pass is valid for the course's
    `valid_months`. Raises FieldError (user_id, course, session_on, result, score, trainer,
    certificate_no), 403 (duties.training)."""
    ctx.require(TRAIN)
    pack = await pack_of(ctx.tenant_id, ctx.tenant.kind)
    if course not in pack.courses:
        raise FieldError("course", "Choose one of the listed values.")
    if result not in RESULTS:
        raise FieldError("result", "Choose one of the listed values.")
    if score is not None and not 0 <= score <= 100:
        raise FieldError("score", "Enter a number from %(min)s to %(max)s.", min=0, max=100)
    if session_on > clock.today_in(ctx.tenant.timezone):
        raise FieldError("session_on", "The date cannot be in the future.")
    trainer, certificate_no = _text("trainer", trainer), _text("certificate_no", certificate_no)
    async with transaction(ctx.tenant_id):
        if not await is_active_member(ctx.tenant_id, user_id):
            raise FieldError("user_id", "Choose one of the listed values.")
        if certificate_no and await scoped_count(TrainingRecord, ctx.tenant_id).where(
                TrainingRecord.session.is_not_null(), TrainingRecord.certificate_no == certificate_no):
            raise FieldError("certificate_no", "A training session already issued this certificate number.")
        expires = rules.expiry(session_on, pack.courses[course].valid_months) if result == "passed" else None
        row = TrainingRecord(tenant=ctx.tenant_id, user=user_id, course=course, session_on=session_on,
                             trainer=trainer, result=result, score=score, certificate_no=certificate_no,
                             expires_on=expires, recorded_by=ctx.user.id)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="training.record",
                           object_type="training_record", object_id=row.id,
                           after={"user_id": user_id, "course": course, "result": result,
                                  "session_on": session_on.isoformat(), "expires_on": expires.isoformat() if expires else None})
    return row
