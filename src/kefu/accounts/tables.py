from typing import TYPE_CHECKING

from piccolo.columns import Boolean, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class User(Table, tablename="kefu_user"):
    """A person who signs in; belongs to tenants through Membership. Not tenant-owned."""

    if TYPE_CHECKING:  # Piccolo adds the serial primary key when it creates the class
        id: Serial

    email = Varchar(length=254, unique=True)
    name = Varchar(length=100)
    password_hash = Varchar(length=200, default="")
    locale = Varchar(length=10, default="zh_CN")
    is_superuser = Boolean(default=False)
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_signin_at = Timestamptz(null=True, default=None)
    # Sessions carry the generation they were made in; a password reset raises it, so every
    # older session ends at its next request (kefu.tenancy.context.load_user).
    session_generation = Integer(default=0)
