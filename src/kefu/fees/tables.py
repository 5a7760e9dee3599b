"""Fee items, bills, payments, receipt numbers, reminders and the reasons residents give for
paying late. Tenant-owned: tenant_id leads every index and, on PostgreSQL, forced row-level
security backs the scoped reads (migrations/fees, hand-written part). Money is NUMERIC.
"""

from decimal import Decimal

from piccolo.columns import Date, ForeignKey, Integer, Numeric, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned
from kefu.units.tables import Unit


class FeeItem(TenantOwned, Table):
    """收费项目: `basis` area (rate per m² a month), space (per parking space a month) or fixed
    (per unit a month), billed to units whose use is in `uses`, from `valid_from` to
    `valid_until` (inclusive; null: open). A new rate is a new item from its first day."""

    code = Varchar(length=20)
    name = Varchar(length=50)
    basis = Varchar(length=10)
    rate = Numeric(digits=(12, 2))
    uses = Varchar(length=200, default="")  # unit use codes, comma-separated
    valid_from = Date()
    valid_until = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Bill(TenantOwned, Table):
    """One unit's charge for one item and month (`period`, its first day): unique per tenant,
    unit, item and period, so generating a month twice makes no second bill."""

    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.restrict, db_column_name="unit_id")
    item = ForeignKey(FeeItem, null=False, on_delete=OnDelete.restrict, db_column_name="item_id")
    period = Date()
    days = Integer()
    quantity = Numeric(digits=(10, 2))
    amount = Numeric(digits=(12, 2))
    paid = Numeric(digits=(12, 2), default=Decimal("0"))
    due_on = Date()
    created_at = Timestamptz(default=TimestamptzNow())


class Payment(TenantOwned, Table):
    """A payment recorded against a bill (no gateway: the desk records what was paid, how)."""

    bill = ForeignKey(Bill, null=False, on_delete=OnDelete.restrict, db_column_name="bill_id")
    amount = Numeric(digits=(12, 2))
    method = Varchar(length=20)
    paid_on = Date()
    reference = Varchar(length=100, default="")
    receipt_no = Varchar(length=20)
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="recorded_by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class ReceiptCounter(TenantOwned, Table):
    """The last receipt number given out per tenant and year (bumped by an upsert)."""

    year = Integer()
    value = Integer(default=0)


class LateReason(TenantOwned, Table):
    """C.j: why a resident pays late or refuses (a category from the pack and a note)."""

    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.cascade, db_column_name="unit_id")
    category = Varchar(length=20)
    note = Text(default="")
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="recorded_by_id")
    created_at = Timestamptz(default=TimestamptzNow())


class Refund(TenantOwned, Table):
    """Money paid on a bill and given back (a renovation deposit at completion): never more
    than the bill's payments less what was refunded before."""

    bill = ForeignKey(Bill, null=False, on_delete=OnDelete.restrict, db_column_name="bill_id")
    amount = Numeric(digits=(12, 2))
    refunded_on = Date()
    reason = Varchar(length=200, default="")
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="recorded_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
