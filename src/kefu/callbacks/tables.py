"""Callback tables. Tenant-owned: tenant_id leads every index and, on PostgreSQL, forced
row-level security backs the scoped reads (migrations/callbacks, hand-written part).

Kinds, methods, positions and periods are the pack's (tenants/<kind>/callbacks.toml). The rows:
a campaign (art. 23(2)) makes tasks; a task is one customer to call back by a method, owned by a
position and, once taken or routed, a person; each call or visit is an attempt; a callback ends
in one written record (art. 25), locked on submit, corrected only by addenda.

Built on later (kept generic on purpose): problems found (art. 26) and quality scores (art. 27)
reference `callback_record`; new-policy cooling-off callbacks are tasks of their own kind with
`due_on` the last day of the period and `product`/`reference` naming the policy; `reminded_at`
and `escalated_at` are there for a deadline watch like the complaints'.
"""

from typing import TYPE_CHECKING

from piccolo.columns import JSON, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.complaints.tables import Complaint
from kefu.customers.tables import Customer
from kefu.tenancy.tables import TenantOwned


class CallbackCampaign(TenantOwned, Table):
    """A callback campaign (回访计划, art. 23(2)): kind, window, target, script and questions,
    focus points, responsible manager, method order and attempt limit. `plan` groups the
    campaigns of a yearly or periodic plan (art. 22(1)); the scheduler opens a draft campaign
    on `opens_on`, creating its tasks."""

    if TYPE_CHECKING:
        id: Serial

    kind = Varchar(length=40)
    title = Varchar(length=200)
    plan = Varchar(length=40, default="")  # e.g. "2026" or "2026-H1"
    opens_on = Date()
    window_start = Date()
    window_end = Date()
    status = Varchar(length=10, default="draft")  # draft | open | closed
    target = JSON(default="{}")  # {"source": "segment"|"complaints"|"list", ...} (policy.targets)
    script = Text(default="")
    questions = JSON(default="[]")  # [{"code", "text", "kind": "text"|"choice"|"scale", "choices"}]
    focus = Text(default="")
    manager = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="manager_id")
    methods = JSON(default="[]")  # the fallback order, e.g. ["phone", "online", "onsite"]
    attempt_limit = Integer(default=3)
    task_count = Integer(default=0)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    opened_at = Timestamptz(null=True, default=None)


class CallbackTask(TenantOwned, Table):
    """One customer to call back. `method_index` points into the method order (the campaign's,
    or the pack's default for tasks without a campaign); after `attempt_limit` failed attempts
    the task falls back to the next method and its position. `unique_key` (unique per tenant)
    makes automatic tasks idempotent: "complaint:<id>", "campaign:<id>:<row>"."""

    if TYPE_CHECKING:
        id: Serial

    campaign = ForeignKey(CallbackCampaign, null=True, on_delete=OnDelete.cascade, db_column_name="campaign_id")
    kind = Varchar(length=40)
    origin = Varchar(length=12, default="campaign")  # campaign | complaint | api | manual | policy
    unique_key = Varchar(length=80, null=True, default=None)
    customer = ForeignKey(Customer, null=True, on_delete=OnDelete.set_null, db_column_name="customer_id")
    customer_name = Varchar(length=100, default="")
    customer_phone = Varchar(length=30, default="")
    reference = Varchar(length=64, default="")  # policy number, unit, complaint number
    product = Varchar(length=40, default="")  # the pack's product type (cooling-off callbacks)
    subject_type = Varchar(length=20, default="")  # "complaint", "policy", ...
    subject_id = Integer(null=True, default=None)
    methods = JSON(default="[]")  # the order this task follows (copied at creation)
    method_index = Integer(default=0)
    method = Varchar(length=12)  # methods[method_index]
    position = Varchar(length=40)  # the position owning the current method
    owner = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="owner_id")
    attempt_limit = Integer(default=3)
    failed_attempts = Integer(default=0)  # failed attempts with the current method
    status = Varchar(length=12, default="open")  # open | done | unreachable | cancelled
    opens_on = Date()  # not worked before (complaint follow-up delay, campaign opening)
    due_on = Date()
    next_call_at = Timestamptz(null=True, default=None)  # "call back later at"
    last_outcome = Varchar(length=16, default="")
    fallen_back_at = Timestamptz(null=True, default=None)
    done_at = Timestamptz(null=True, default=None)
    reminded_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class CallbackAttempt(TenantOwned, Table):
    """One call or visit and its outcome (policy.attempts.OUTCOMES)."""

    if TYPE_CHECKING:
        id: Serial

    task = ForeignKey(CallbackTask, null=False, on_delete=OnDelete.cascade, db_column_name="task_id")
    method = Varchar(length=12)
    attempted_at = Timestamptz()
    outcome = Varchar(length=16)
    call_back_at = Timestamptz(null=True, default=None)
    note = Varchar(length=500, default="")
    recording_ref = Varchar(length=200, default="")
    by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="by_id")
    source = Varchar(length=8, default="staff")  # staff | api
    created_at = Timestamptz(default=TimestamptzNow())


class CallbackRecord(TenantOwned, Table):
    """The written record of a callback (art. 25), one per task. A draft may be edited; once
    submitted (`status` submitted, `locked_at` set) only addenda correct it. Kept until
    `retain_until` (the pack's retention period)."""

    if TYPE_CHECKING:
        id: Serial

    task = ForeignKey(CallbackTask, null=False, on_delete=OnDelete.cascade, db_column_name="task_id")
    campaign = ForeignKey(CallbackCampaign, null=True, on_delete=OnDelete.set_null, db_column_name="campaign_id")
    kind = Varchar(length=40)
    method = Varchar(length=12)
    customer = ForeignKey(Customer, null=True, on_delete=OnDelete.set_null, db_column_name="customer_id")
    customer_name = Varchar(length=100, default="")
    reference = Varchar(length=64, default="")
    answers = JSON(default="{}")  # question code -> answer text
    notes = Text(default="")
    recording_ref = Varchar(length=200, default="")  # the call in the tenant's telephony system
    status = Varchar(length=10, default="draft")  # draft | submitted
    written_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="written_by_id")
    callback_on = Date()  # the day the callback took place (the archive's date)
    locked_at = Timestamptz(null=True, default=None)
    retain_until = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CallbackAddendum(TenantOwned, Table):
    """A correction to a submitted record: what it corrects and why; never edits the record."""

    if TYPE_CHECKING:
        id: Serial

    record = ForeignKey(CallbackRecord, null=False, on_delete=OnDelete.cascade, db_column_name="record_id")
    field = Varchar(length=40, default="notes")  # "notes", "recording_ref" or "answer:<code>"
    text = Text()
    by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class CallbackFile(TenantOwned, Table):
    """An attachment of a record (the signed on-site form), stored through kefu.core.files."""

    if TYPE_CHECKING:
        id: Serial

    record = ForeignKey(CallbackRecord, null=False, on_delete=OnDelete.cascade, db_column_name="record_id")
    file_ref = Varchar(length=500)  # "<relative path>|<type>|<name>"
    filename = Varchar(length=255)
    size = Integer(default=0)
    by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="by_id")
    created_at = Timestamptz(default=TimestamptzNow())


# Follow-through (A art. 26–27): problems found and QA scores.


class CallbackProblem(TenantOwned, Table):
    """A problem found (art. 26): raised from a record, or at once from a task (the policyholder
    of a new policy says they did not sign or did not understand). Assigned to a department (a
    position of the pack) or a person, due on `due_on`, reminded and escalated once each."""

    if TYPE_CHECKING:
        id: Serial

    task = ForeignKey(CallbackTask, null=False, on_delete=OnDelete.cascade, db_column_name="task_id")
    record = ForeignKey(CallbackRecord, null=True, on_delete=OnDelete.set_null, db_column_name="record_id")
    cause = Varchar(length=20, default="other")  # the pack's problem causes (not_signed, not_understood, ...)
    summary = Varchar(length=200)
    detail = Text(default="")
    position = Varchar(length=40, default="")  # the responsible department/post
    assignee = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="assignee_id")
    due_on = Date()
    status = Varchar(length=12, default="open")  # open | closed
    resolution = Text(default="")
    complaint = ForeignKey(Complaint, null=True, on_delete=OnDelete.set_null, db_column_name="complaint_id")
    raised_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="raised_by_id")
    raised_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)
    reminded_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)


class CallbackScore(TenantOwned, Table):
    """A QA score of one submitted record (art. 27): points per item of the scoring sheet."""

    if TYPE_CHECKING:
        id: Serial

    record = ForeignKey(CallbackRecord, null=False, on_delete=OnDelete.cascade, db_column_name="record_id")
    agent = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="agent_id")  # the writer
    items = JSON(default="{}")  # item code -> points
    total = Integer(default=0)
    max_total = Integer(default=0)
    comment = Text(default="")
    scored_on = Date()
    by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="by_id")
    created_at = Timestamptz(default=TimestamptzNow())


# Planning (A art. 22(1)): the yearly callback plan.


class CallbackPlan(TenantOwned, Table):
    """A tenant's callback plan for one year (art. 22(1): callbacks are carried out to a plan):
    how many campaigns of each kind it means to open in each month (`grid`, kind -> month ->
    count), with a note. Progress is read against the campaigns actually opened
    (queries.plans); one plan per tenant and year."""

    if TYPE_CHECKING:
        id: Serial

    year = Integer()
    grid = JSON(default="{}")  # {"fraudulent_sales": {"1": 1, "2": 1, …}, …}
    note = Text(default="")
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="updated_by_id")
    updated_at = Timestamptz(default=TimestamptzNow())


class CallbackOnline(TenantOwned, Table):
    """A task's online method (art. 23(1)): the survey round and invitation that sent the
    customer the campaign's questions (kefu.surveys.services.direct); one per task. The answer
    completes the task with a locked record (services.online); `answered_at` marks it heard."""

    if TYPE_CHECKING:
        id: Serial

    task = ForeignKey(CallbackTask, null=False, on_delete=OnDelete.cascade, db_column_name="task_id")
    campaign = ForeignKey(CallbackCampaign, null=True, on_delete=OnDelete.cascade, db_column_name="campaign_id")
    round_id = Integer()  # kefu.surveys' round (no foreign key across the module line)
    invitation_id = Integer()
    channel = Varchar(length=10, default="sms")  # sms | email | none: how the link went out
    sent_at = Timestamptz(default=TimestamptzNow())
    answered_at = Timestamptz(null=True, default=None)
