"""Customer registry tables. Tenant-owned: tenant_id leads every index and, on PostgreSQL,
forced row-level security backs the scoped reads (migrations/customers, hand-written part).
"""

from piccolo.columns import Boolean, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.core.staged_imports import StagedImportColumns
from kefu.tenancy.tables import TenantOwned


class Customer(TenantOwned, Table):
    # customers.policy.KINDS: policyholder | insured | beneficiary | agent | owner | resident
    kind = Varchar(length=16)
    name = Varchar(length=100)
    phone = Varchar(length=30, default="")
    email = Varchar(length=254, default="")
    postal_address = Varchar(length=300, default="")
    # Policy number or customer number (insurance), owner number (property); unique when set.
    external_ref = Varchar(length=64, default="")
    # Building and unit as text until the property desk gives units ("3栋", "2单元1501").
    building = Varchar(length=100, default="")
    unit = Varchar(length=100, default="")
    # Who counts as one household for "one answer per household": building|unit for property,
    # the customer itself otherwise (customers.policy.household_key).
    household = Varchar(length=220, default="")
    consent_contact = Boolean(default=False)  # agreed to be contacted (surveys, callbacks)
    consent_at = Timestamptz(null=True, default=None)
    # When the customer withdrew consent themselves (the opt-out link of a survey), if they did.
    consent_withdrawn_at = Timestamptz(null=True, default=None)
    preferred_channel = Varchar(length=10, default="sms")  # sms | email | letter | none
    locale = Varchar(length=10, default="zh_CN")
    notes = Text(default="")
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CustomerTag(TenantOwned, Table):
    """A segment a customer belongs to ("VIP", "老年客户", "商铺"): one row per (customer, tag)."""

    customer = ForeignKey(Customer, null=False, on_delete=OnDelete.cascade, db_column_name="customer_id")
    tag = Varchar(length=50)


class CustomerImport(TenantOwned, StagedImportColumns, Table):
    """An uploaded XLSX/CSV: parsed and checked into `rows` with per-row `errors`; imported only
    when clean, by a confirm step that reads the stored rows (no second upload)."""

    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
