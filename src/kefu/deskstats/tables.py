"""The month-end occupancy snapshot: how many units of each building were in each occupancy
state when a month ended, written once per month by the scheduler's sweep (or, for a past
month nobody swept, rebuilt from the units' occupancy history on demand). Tenant-owned:
tenant_id leads every index, a unique key (tenant, period, building, occupancy) makes a second
write of the same month write nothing, and on PostgreSQL forced row-level security backs the
scoped reads (migrations/deskstats, hand-written part)."""

from piccolo.columns import JSON, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned


class OccupancySnapshot(TenantOwned, Table):
    """Units of one building in one occupancy state at the end of `period` (its first day).
    Each month also has one marker row, building_id 0 and occupancy "", saying the month was
    taken (an estate without buildings has a snapshot too) and how: "sweep" at the month's end,
    "rebuilt" later from the history. The building's id is a number, not a key into the units
    module's tables, and its name is kept as it was."""

    period = Date()
    building_id = Integer(default=0)
    building = Varchar(length=100, default="")
    occupancy = Varchar(length=20, default="")
    n = Integer(default=0)
    how = Varchar(length=10, default="sweep")  # sweep | rebuilt
    taken_at = Timestamptz(default=TimestamptzNow())


class MonthFiling(TenantOwned, Table):
    """C.i: a month's statistics filed (提交) by the desk: the month's figures as the page showed
    them, frozen when filed, with who filed them, when and a note. One per tenant and month
    (a unique key): the filing is the record the monthly duty task closes on."""

    period = Date()  # the month's first day
    note = Text(default="")
    figures = JSON(default="{}")
    filed_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="filed_by_id")
    filed_at = Timestamptz(default=TimestamptzNow())
