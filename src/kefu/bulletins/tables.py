"""Bulletins (公告) and community events (社区活动) of an estate, and the sign-ups to events.
Tenant-owned: tenant_id leads every index and, on PostgreSQL, forced row-level security backs
the scoped reads (migrations/bulletins, hand-written part)."""

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned


class Bulletin(TenantOwned, Table):
    """A notice (kind "notice") or a community event ("event") to the whole estate or to some
    buildings: drafted, then published and shown on the public page from `shown_from` until
    `shown_until` (inclusive; null: open), or withdrawn. An event with `capacity` takes sign-ups
    from the public page; `signed_up` counts the places taken (claimed by a conditional UPDATE)."""

    kind = Varchar(length=10)  # notice | event
    category = Varchar(length=20)  # a code of tenants/<kind>/bulletins.toml
    title = Varchar(length=100)
    body = Text()
    # Building ids, comma-separated ("" the whole estate), and their names as published.
    buildings = Varchar(length=500, default="")
    building_names = Varchar(length=1000, default="")
    state = Varchar(length=10, default="draft")  # draft | published | withdrawn
    shown_from = Date()
    shown_until = Date(null=True, default=None)
    starts_at = Timestamptz(null=True, default=None)  # an event's start
    place = Varchar(length=100, default="")
    capacity = Integer(null=True, default=None)  # places; null: no sign-up
    signed_up = Integer(default=0)
    notified = Integer(default=0)  # notices owed to residents when published
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    # Last edited after publishing (the public page says "updated"); null: as published.
    revised_at = Timestamptz(null=True, default=None)


class Signup(TenantOwned, Table):
    """One sign-up to an event from the public page: who, how many people, their unit as they
    wrote it. One per phone and event."""

    bulletin = ForeignKey(Bulletin, null=False, on_delete=OnDelete.cascade, db_column_name="bulletin_id")
    name = Varchar(length=50)
    phone = Varchar(length=20)
    unit = Varchar(length=30, default="")
    people = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
