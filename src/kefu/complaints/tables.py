"""Complaint tables (document A art. 9–20). Every one is tenant-owned: tenant_id leads its
indexes and, on PostgreSQL, forced row-level security backs the scoped reads up
(migrations/complaints, the hand-written migration).

Deadlines are stored on the complaint row and recomputed by policy.py at every event; the
reminder sweep reads `next_remind_on` only (one indexed range query per tenant).
"""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.customers.tables import Customer
from kefu.tenancy.tables import TenantOwned


class ComplaintCounter(TenantOwned, Table):
    """The last number given out per tenant and year; bumped by an upsert in the registering
    transaction, so concurrent registrations queue on the row and numbers never repeat."""

    year = Integer()
    value = Integer(default=0)


class Complaint(TenantOwned, Table):
    # A art. 12: every complaint is registered; `number` is read out on the phone (TS2026-000123).
    number = Varchar(length=24)
    channel = Varchar(length=16)  # policy.CHANNELS (A art. 11, 13)
    source = Varchar(length=8, default="staff")  # staff | public | api
    received_on = Date()
    complainant_name = Varchar(length=100)
    complainant_phone = Varchar(length=30, default="")
    complainant_email = Varchar(length=254, default="")
    complainant_address = Varchar(length=300, default="")
    # A art. 15(1): the consumer, or an agent with an authorisation document.
    complainant_relation = Varchar(length=10, default="consumer")
    authorisation_doc = Boolean(default=False)
    customer_ref = Varchar(length=64, default="")  # policy number, or unit such as 3-2-1501
    # The registry entry, when the complainant is a known customer (kefu.customers).
    customer = ForeignKey(Customer, null=True, on_delete=OnDelete.set_null, db_column_name="customer_id")
    subject = Varchar(length=200)
    description = Text(default="")
    category = Varchar(length=40)
    status = Varchar(length=24, default="registered")  # policy.STATUSES
    registered_by = ForeignKey(
        User, null=True, on_delete=OnDelete.set_null, db_column_name="registered_by_id"
    )
    # A art. 12: incomplete at receipt -> the materials notice is owed.
    materials_incomplete = Boolean(default=False)
    materials_complete_on = Date(null=True, default=None)
    # A art. 15: the handling period runs from here; a merged repeat with new facts restarts it.
    period_start_on = Date()
    materials_notice_due = Date(null=True, default=None)
    acceptance_notice_due = Date(null=True, default=None)
    decision_due = Date(null=True, default=None)
    deadlines_provisional = Boolean(default=False)
    # The deadline the sweep watches (policy.current_deadline) and the day of its next reminder.
    next_due = Date(null=True, default=None)
    next_due_kind = Varchar(length=24, default="")
    next_remind_on = Date(null=True, default=None)
    # The day a change of the official holiday schedule last moved a deadline (the worklist marks it).
    deadlines_moved_on = Date(null=True, default=None)
    handler = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="handler_id")
    department = Varchar(length=100, default="")
    review_ground = Varchar(length=40, default="")  # policy.GROUNDS
    review_reason = Text(default="")
    transferred_to = Varchar(length=200, default="")
    decision = Varchar(length=16, default="")  # upheld | partly | not_upheld
    decision_text = Text(default="")  # the findings and decision as told to the complainant
    remedy = Text(default="")
    decided_on = Date(null=True, default=None)
    extensions_granted = Integer(default=0)
    paused_days = Integer(default=0)
    paused_since = Date(null=True, default=None)
    # A art. 13: complaints transferred by a regulator, and the written report it asks for.
    regulator_unit = Varchar(length=200, default="")
    regulator_ref = Varchar(length=100, default="")
    regulator_report_requested = Text(default="")
    regulator_report_due = Date(null=True, default=None)
    regulator_report_sent_on = Date(null=True, default=None)
    repeat_of: ForeignKey["Complaint"] = ForeignKey("self", null=True, on_delete=OnDelete.restrict, db_column_name="repeat_of_id")
    public_token = Varchar(length=64, unique=True)  # the status page's secret link, 192 bits
    idempotency_key = Varchar(length=64, null=True, default=None)
    is_major = Boolean(default=False)  # B.k: a major complaint needs a written report
    closed_on = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ComplaintAttachment(TenantOwned, Table):
    """Metadata of a material; the file lives under var/, outside the web root."""

    complaint = ForeignKey(
        Complaint, null=False, on_delete=OnDelete.restrict, db_column_name="complaint_id"
    )
    path = Varchar(length=500)  # relative to settings.var_dir
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = Integer()
    sha256 = Varchar(length=64)
    uploaded_by = ForeignKey(
        User, null=True, on_delete=OnDelete.set_null, db_column_name="uploaded_by_id"
    )
    created_at = Timestamptz(default=TimestamptzNow())


class ComplaintReminder(TenantOwned, Table):
    """One row per reminder sent; unique per (complaint, kind, due_on, stage, remind_on), so a reminder is
    claimed by exactly one sweep even if sweeps overlap or a worker dies mid-way."""

    complaint = ForeignKey(
        Complaint, null=False, on_delete=OnDelete.cascade, db_column_name="complaint_id"
    )
    kind = Varchar(length=24)  # policy.WATCH_KINDS
    due_on = Date()
    stage = Varchar(length=10)  # before | on_day | overdue | resume
    # The day the reminder is for: the same for every sweep before and on the day, the sweep's
    # day for an escalation (repeated each working day) and a reminder to resume a pause.
    remind_on = Date()
    sent_at = Timestamptz(default=TimestamptzNow())


class ComplaintNote(TenantOwned, Table):
    """Internal notes, never shown on the public status page."""

    complaint = ForeignKey(
        Complaint, null=False, on_delete=OnDelete.restrict, db_column_name="complaint_id"
    )
    author = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="author_id")
    kind = Varchar(length=20, default="note")  # note | major_report (B.k)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class ContactInfo(TenantOwned, Table):
    """A art. 11: the published complaint phone, fax, postal and reception address, email."""

    phone = Varchar(length=40, default="")
    fax = Varchar(length=40, default="")
    postal_address = Varchar(length=300, default="")
    reception_address = Varchar(length=300, default="")
    email = Varchar(length=254, default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class GovernanceDocument(TenantOwned, Table):
    """A art. 19: complaint rules, evaluation rules, accountability rules and the list of
    responsible persons, each versioned, with the day the version was filed."""

    kind = Varchar(length=30)  # policy.GOVERNANCE_KINDS
    version = Integer()
    title = Varchar(length=200, default="")
    body = Text()
    filed_with_regulator_on = Date(null=True, default=None)
    created_by = ForeignKey(
        User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id"
    )
    created_at = Timestamptz(default=TimestamptzNow())


class ComplaintReportIssue(TenantOwned, Table):
    """A art. 20: the analysis report of one period, issued (上报) to management. `figures` is
    the report's headline figures frozen when it was issued, so what management received stays
    readable when complaints change later. One per tenant and period (a unique key)."""

    period_kind = Varchar(length=10)  # periods.PERIOD_KINDS
    period_key = Varchar(length=30)  # "2026-03", "2026Q1", "2026H1", "2026-01-05~2026-02-20"
    first_day = Date()
    last_day = Date()
    note = Text(default="")  # to whom, remarks
    figures = JSON(default="{}")
    issued_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="issued_by_id")
    issued_at = Timestamptz(default=TimestamptzNow())
