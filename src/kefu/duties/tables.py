"""Duty tables. Tenant-owned: tenant_id leads every index and, on PostgreSQL, forced row-level
security backs the scoped reads (migrations/duties, hand-written part).

Duty sets, departments and courses are the pack's (tenants/<kind>/duties.toml); the rows here
are what happens: assignments of people to positions, the tasks each period makes, and who was
trained when.
"""

from typing import TYPE_CHECKING

from piccolo.columns import JSON, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned


class PositionAssignment(TenantOwned, Table):
    """A person in a position from `starts_on` until `ends_on`, the day it ends (NULL: open-ended;
    from that day on it grants nothing), as its holder, as acting holder or as deputy. The
    permissions a position grants follow its running assignments."""

    if TYPE_CHECKING:
        id: Serial

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, db_column_name="user_id")
    position = Varchar(length=40)
    role = Varchar(length=10, default="holder")  # holder | acting | deputy
    starts_on = Date()
    ends_on = Date(null=True, default=None)
    note = Varchar(length=200, default="")
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class DutyTask(TenantOwned, Table):
    """One recurring duty for one period, owed by the position's holder. The unique key
    (tenant_id, position, duty_code, period_key) makes the scheduler create it once."""

    if TYPE_CHECKING:
        id: Serial

    position = Varchar(length=40)
    duty_code = Varchar(length=40)
    recurrence = Varchar(length=12)
    period_key = Varchar(length=12)
    period_start = Date()
    due_on = Date()
    assignee = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="assignee_id")
    status = Varchar(length=8, default="open")  # open | done
    evidence_kind = Varchar(length=10, default="")  # note | checklist | upload | record
    evidence_note = Text(default="")
    evidence_checks = JSON(default="[]")  # indexes of the ticked checklist items
    evidence_ref = Varchar(length=400, default="")  # "survey_round:12", an upload's name
    done_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="done_by_id")
    done_on = Date(null=True, default=None)
    done_at = Timestamptz(null=True, default=None)
    reminded_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class TrainingRecord(TenantOwned, Table):
    """A person's result in a pack course (A art. 8, B.n, C.o): passed ones clear them for
    service work until `expires_on`."""

    if TYPE_CHECKING:
        id: Serial

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, db_column_name="user_id")
    course = Varchar(length=40)
    session_on = Date()  # the day of the session attended
    trainer = Varchar(length=100, default="")
    result = Varchar(length=8, default="passed")  # passed | failed
    score = Integer(null=True, default=None)
    certificate_no = Varchar(length=60, default="")
    expires_on = Date(null=True, default=None)
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="recorded_by_id")
    session = Integer(null=True, default=None)  # the TrainingSession attended, if recorded by session
    created_at = Timestamptz(default=TimestamptzNow())


class Meeting(TenantOwned, Table):
    """A department meeting (B.j, B.r), an owners' assembly (B.g, C.l) or a canteen committee
    meeting (B.h): agenda, who attended, minutes. Minutes of a department meeting are the
    evidence of B.j's weekly task."""

    if TYPE_CHECKING:
        id: Serial

    kind = Varchar(length=20, default="department")  # department | owners_assembly | canteen
    title = Varchar(length=200)
    held_on = Date()
    agenda = Text(default="")
    attendees = Text(default="")  # names, one per line (owners and contractors attend too)
    minutes = Text(default="")
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class MeetingAction(TenantOwned, Table):
    """A decision's action item: what, who owns it, by when, followed to closure."""

    if TYPE_CHECKING:
        id: Serial

    meeting = ForeignKey(Meeting, null=False, on_delete=OnDelete.cascade, db_column_name="meeting_id")
    title = Varchar(length=200)
    owner = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="owner_id")
    due_on = Date()
    status = Varchar(length=8, default="open")  # open | done
    done_on = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class TrainingSession(TenantOwned, Table):
    """One session of a pack course (A art. 8; B.n, C.o): when, who trained, for which
    department; its attendees' results are TrainingRecord rows that name it."""

    if TYPE_CHECKING:
        id: Serial

    course = Varchar(length=40)
    department = Varchar(length=40, default="")
    session_on = Date()
    trainer = Varchar(length=100, default="")
    place = Varchar(length=100, default="")
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class TrainingPlanItem(TenantOwned, Table):
    """A line of a department's yearly training plan (B.n, C.o): a course planned for a month."""

    if TYPE_CHECKING:
        id: Serial

    year = Integer()
    department = Varchar(length=40)
    course = Varchar(length=40)
    month = Integer()
    note = Varchar(length=200, default="")
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class PerformanceNote(TenantOwned, Table):
    """A commendation or a criticism of a person (A art. 27, B.f, C.n) with its reason and,
    optionally, the record it cites in any module by kind and id ("complaint", 12)."""

    if TYPE_CHECKING:
        id: Serial

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, db_column_name="user_id")
    kind = Varchar(length=12)  # commendation | criticism
    noted_on = Date()
    reason = Text()
    cites_kind = Varchar(length=30, default="")
    cites_id = Integer(null=True, default=None)
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="recorded_by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class DutyConfig(TenantOwned, Table):
    """The tenant's own departments, courses and duty sets, once an administrator has edited
    them: the whole duties.toml document (JSON, validated as the pack file is), started from the
    pack's. No row: the pack's. `version` grows with each change (readers cache by it)."""

    if TYPE_CHECKING:
        id: Serial

    document = Text()
    version = Integer(default=1)
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="updated_by_id")
    updated_at = Timestamptz(default=TimestamptzNow())
