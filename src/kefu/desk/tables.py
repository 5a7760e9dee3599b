"""The desk's paid-service orders, renovation applications with their inspections, and the
enquiries it logs. Tenant-owned: tenant_id leads every index and, on PostgreSQL, forced
row-level security backs the scoped reads (migrations/desk, hand-written part). A charge or a
deposit lives in the fees module as a bill: these rows keep its id (`bill_id`), not a key into
the fees module's tables. Money is NUMERIC."""

from piccolo.columns import Date, ForeignKey, Integer, Numeric, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned
from kefu.units.tables import Unit


class ServiceOrder(TenantOwned, Table):
    """有偿服务 (C.c): a service of the pack's catalogue ordered for a unit, at the price of the
    day; assigned to a member, done, then charged on the unit's next bill (`bill_id`)."""

    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.restrict, db_column_name="unit_id")
    service = Varchar(length=16)  # a code of tenants/<kind>/desk.toml [[services]]
    contact = Varchar(length=50, default="")
    phone = Varchar(length=20, default="")
    quantity = Integer()
    price = Numeric(digits=(12, 2))
    amount = Numeric(digits=(12, 2))
    wanted_on = Date(null=True, default=None)
    notes = Text(default="")
    state = Varchar(length=10, default="open")  # policy.ORDER_STATES
    assignee = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="assignee_id")
    bill_id = Integer(null=True, default=None)
    done_note = Text(default="")
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    done_at = Timestamptz(null=True, default=None)
    # Taken at the desk ("desk") or ordered by a resident on the public price list ("public"),
    # who follows it behind a secret link (`public_token`, 192 bits; null for the desk's).
    source = Varchar(length=10, default="desk")
    public_token = Varchar(length=64, null=True, default=None)


class Renovation(TenantOwned, Table):
    """装修 (C.m): an application for a unit with its contractor and period; approval raises the
    deposit bill and makes the unit 'under renovation'; inspections by the departments;
    completion refunds what was paid of the deposit and gives the unit back `prior_occupancy`."""

    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.restrict, db_column_name="unit_id")
    applicant = Varchar(length=50)
    phone = Varchar(length=20, default="")
    contractor = Varchar(length=100)
    contractor_phone = Varchar(length=20, default="")
    scope = Text(default="")
    starts_on = Date()
    ends_on = Date()
    deposit = Numeric(digits=(12, 2))
    state = Varchar(length=10, default="applied")  # policy.RENOVATION_STATES
    prior_occupancy = Varchar(length=20, default="")
    deposit_bill_id = Integer(null=True, default=None)
    refunded = Numeric(digits=(12, 2), null=True, default=None)
    decision_note = Text(default="")
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    decided_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="decided_by_id")
    decided_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)


class Inspection(TenantOwned, Table):
    """One inspection of a renovation by a department of the pack: passed or failed, and why."""

    renovation = ForeignKey(Renovation, null=False, on_delete=OnDelete.cascade, db_column_name="renovation_id")
    department = Varchar(length=30)
    inspected_on = Date()
    result = Varchar(length=10)  # policy.RESULTS
    note = Text(default="")
    inspector = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="inspector_id")
    created_at = Timestamptz(default=TimestamptzNow())


class Enquiry(TenantOwned, Table):
    """咨询 (C.b): what a resident asked at the desk and what they were told; open while someone
    still has to find the answer, closed once answered. Topics feed the manager's view of the
    recurring questions."""

    unit = ForeignKey(Unit, null=True, on_delete=OnDelete.set_null, db_column_name="unit_id")
    contact = Varchar(length=50, default="")
    phone = Varchar(length=20, default="")
    topic = Varchar(length=30)
    question = Text()
    answer = Text(default="")
    state = Varchar(length=10, default="open")  # policy.ENQUIRY_STATES
    assignee = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="assignee_id")
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    answered_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="answered_by_id")
    answered_at = Timestamptz(null=True, default=None)
