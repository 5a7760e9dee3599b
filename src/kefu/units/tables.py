"""Buildings, units, residents and occupancy of a property centre. Tenant-owned: tenant_id
leads every index and, on PostgreSQL, forced row-level security backs the scoped reads
(migrations/units, hand-written part).
"""

from piccolo.columns import Date, ForeignKey, Integer, Numeric, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.core.staged_imports import StagedImportColumns
from kefu.customers.tables import Customer
from kefu.tenancy.tables import TenantOwned


class Building(TenantOwned, Table):
    """楼栋: `name` as staff write it ("3栋", "A座"); `code` its key ("3", "a": policy.building_code),
    unique in the tenant, which the desk search and the import look units up by."""

    name = Varchar(length=50)
    code = Varchar(length=20)
    notes = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Unit(TenantOwned, Table):
    """房屋: building, entrance (单元, "" when the building has none), floor, room, area in m²
    and its use (a code from tenants/<kind>/units.toml). `address_key` is building|entrance|room
    normalised (policy.address_key): unique in the tenant, and what the desk search looks up."""

    building = ForeignKey(Building, null=False, on_delete=OnDelete.restrict, db_column_name="building_id")
    entrance = Varchar(length=10, default="")
    floor = Integer(null=True, default=None)
    room = Varchar(length=20)
    address_key = Varchar(length=60)
    area = Numeric(digits=(10, 2), null=True, default=None)
    use = Varchar(length=20)
    # policy.OCCUPANCY: vacant | owner_occupied | let | renovation
    occupancy = Varchar(length=20, default="vacant")
    notes = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class OccupancyChange(TenantOwned, Table):
    """One change of a unit's occupancy: who, when, why (the unit's history)."""

    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.cascade, db_column_name="unit_id")
    from_state = Varchar(length=20)
    to_state = Varchar(length=20)
    reason = Text(default="")
    actor = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="actor_id")
    at = Timestamptz(default=TimestamptzNow())


class Residency(TenantOwned, Table):
    """A customer's link to a unit: owner, resident or tenant, from and until a day."""

    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.cascade, db_column_name="unit_id")
    customer = ForeignKey(Customer, null=False, on_delete=OnDelete.cascade, db_column_name="customer_id")
    role = Varchar(length=12)  # policy.ROLES: owner | resident | tenant
    # The last four digits of the customer's phone when linked: the desk's "尾号" lookup is an
    # indexed equality, not a scan of every phone number.
    phone_tail = Varchar(length=4, default="")
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class UnitImport(TenantOwned, StagedImportColumns, Table):
    """An uploaded XLSX/CSV of units: checked into `rows` with per-row `errors`; imported only
    when clean, by a confirm step that reads the stored rows (no second upload)."""

    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")


class Move(TenantOwned, Table):
    """A move-in (入伙/入住) or move-out (退租) of a unit, run as the pack's checklist: open until
    every item is ticked and it is completed; completing it changes the unit's occupancy."""

    unit = ForeignKey(Unit, null=False, on_delete=OnDelete.cascade, db_column_name="unit_id")
    kind = Varchar(length=10)  # move_in | move_out
    # Who moves in, and as what (policy.ROLES); empty for a move-out.
    customer = ForeignKey(Customer, null=True, on_delete=OnDelete.set_null, db_column_name="customer_id")
    role = Varchar(length=12, default="")
    state = Varchar(length=10, default="open")  # open | done
    started_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="started_by_id")
    started_at = Timestamptz(default=TimestamptzNow())
    done_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="done_by_id")
    done_at = Timestamptz(null=True, default=None)


class MoveItem(TenantOwned, Table):
    """One checklist item of a move (a code of the pack's move_in / move_out list): who ticked
    it, when, with an optional note (a meter reading, a key count)."""

    move = ForeignKey(Move, null=False, on_delete=OnDelete.cascade, db_column_name="move_id")
    code = Varchar(length=30)
    ticked_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="ticked_by_id")
    ticked_at = Timestamptz(null=True, default=None)
    note = Varchar(length=200, default="")
