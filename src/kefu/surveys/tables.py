"""Survey tables. Tenant-owned: tenant_id leads every index and, on PostgreSQL, forced row-level
security backs the scoped reads (migrations/surveys, hand-written part).

The question definition is JSON in the shape of kefu.surveys.policy.definition.Definition. A round
freezes a copy of its template's definition and validity rules when it is created, so editing
the template later never changes what a running round asks or how its answers count.
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


class SurveyTemplate(TenantOwned, Table):
    name = Varchar(length=200)
    description = Text(default="")
    # The pack template this one was copied from ("property_half_year"), or "" if made here.
    pack_key = Varchar(length=60, default="")
    definition = JSON(default="{}")  # definition.Definition
    validity = JSON(default="{}")  # definition.ValidityRules
    is_archived = Boolean(default=False)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class SurveyRound(TenantOwned, Table):
    template = ForeignKey(SurveyTemplate, null=False, on_delete=OnDelete.restrict, db_column_name="template_id")
    title = Varchar(length=200)
    definition = JSON(default="{}")  # frozen copy of the template's at creation
    validity = JSON(default="{}")
    # {"kind": "all"|"buildings"|"segment"|"list"|"none", "customer_kinds": [...],
    #  "buildings": [...], "segment": "..."}; "list" rows are in the invitations themselves.
    audience = JSON(default="{}")
    opens_at = Timestamptz()
    closes_at = Timestamptz()
    status = Varchar(length=10, default="scheduled")  # scheduled | open | closed
    half_year = Varchar(length=7, default="")  # "2026H2" for a scheduled half-year round
    # The optional anonymous link (QR poster): answers without an invitation. NULL = none.
    open_token = Varchar(length=64, null=True, default=None, unique=True)
    reminder_after_days = Integer(default=0)  # 0 = no reminder
    reminders_sent_at = Timestamptz(null=True, default=None)
    invited_count = Integer(default=0)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class SurveyInvitation(TenantOwned, Table):
    """One invitee of a round, with the secret token of their link (unique across tenants)."""

    round = ForeignKey(SurveyRound, null=False, on_delete=OnDelete.cascade, db_column_name="round_id")
    customer = ForeignKey(Customer, null=True, on_delete=OnDelete.set_null, db_column_name="customer_id")
    token = Varchar(length=64, unique=True)
    name = Varchar(length=100, default="")
    phone = Varchar(length=30, default="")
    email = Varchar(length=254, default="")
    channel = Varchar(length=10, default="sms")  # sms | email | letter | none (poster only)
    # Snapshots for the breakdowns, as they were when invited.
    building = Varchar(length=100, default="")
    segment = Varchar(length=200, default="")  # the customer's tags, comma-separated
    household = Varchar(length=220, default="")
    state = Varchar(length=10, default="invited")  # invited | answered
    reminded_at = Timestamptz(null=True, default=None)
    answered_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class SurveyResponse(TenantOwned, Table):
    """One submitted questionnaire, kept whether valid or not (invalid ones with their reason,
    left out of statistics). At most one per invitation (a unique index)."""

    round = ForeignKey(SurveyRound, null=False, on_delete=OnDelete.cascade, db_column_name="round_id")
    invitation = ForeignKey(
        SurveyInvitation, null=True, on_delete=OnDelete.set_null, db_column_name="invitation_id"
    )
    answers = JSON(default="{}")  # {question_key: value}, definition.py documents the shapes
    started_at = Timestamptz(null=True, default=None)  # when the form was served (signed)
    submitted_at = Timestamptz(default=TimestamptzNow())
    duration_seconds = Integer(default=0)
    is_valid = Boolean(default=True)
    invalid_reason = Varchar(length=40, default="")  # policy.answers.INVALID_REASONS
    building = Varchar(length=100, default="")
    segment = Varchar(length=200, default="")
    household = Varchar(length=220, default="")
    via = Varchar(length=10, default="invite")  # invite | open


class SurveySchedule(TenantOwned, Table):
    """The tenant's half-year survey (C.d): which template, when each round opens and for how
    long, whom it invites, and when non-responders get their one reminder."""

    template = ForeignKey(SurveyTemplate, null=False, on_delete=OnDelete.restrict, db_column_name="template_id")
    enabled = Boolean(default=True)
    first_half_opens = Varchar(length=5, default="05-01")  # MM-DD
    second_half_opens = Varchar(length=5, default="11-01")
    duration_days = Integer(default=14)
    reminder_after_days = Integer(default=7)
    audience = JSON(default="{}")  # as SurveyRound.audience
    open_link = Boolean(default=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class ImprovementAction(TenantOwned, Table):
    """B.l: an improvement organised from a round's findings, followed to closure."""

    round = ForeignKey(SurveyRound, null=True, on_delete=OnDelete.set_null, db_column_name="round_id")
    question_key = Varchar(length=60, default="")
    title = Varchar(length=200)
    description = Text(default="")
    owner = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="owner_id")
    owner_name = Varchar(length=100, default="")  # an owner outside kefu (a contractor)
    due_on = Date(null=True, default=None)
    status = Varchar(length=10, default="open")  # open | done | dropped
    outcome = Text(default="")
    closed_on = Date(null=True, default=None)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
