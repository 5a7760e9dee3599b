import json
from typing import TYPE_CHECKING

from piccolo.columns import JSON, Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.core.scoping import TenantScoped


class Tenant(Table):
    """A company or a property-management centre. Every row of business data belongs to one."""

    if TYPE_CHECKING:  # Piccolo adds the serial primary key when it creates the class
        id: Serial

    slug = Varchar(length=63, unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=20)  # a pack name under tenants/: insurance, property
    timezone = Varchar(length=64, default="Asia/Shanghai")
    locale = Varchar(length=10, default="zh_CN")
    settings = JSON(default="{}")
    is_active = Boolean(default=True)
    # False when the tenant's staff must sign in through its identity provider (kefu.identity).
    password_signin = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class TenantOwned(TenantScoped):
    """Mixin for every tenant-owned table: a non-null tenant_id that leads its indexes.

    On PostgreSQL each such table gets forced row-level security (kefu.core.ddl); reads go
    through kefu.core.scoping.
    """

    tenant = ForeignKey(Tenant, null=False, on_delete=OnDelete.restrict, db_column_name="tenant_id")


class Membership(TenantOwned, Table):
    """A user's place in a tenant: the positions they hold there.

    Platform-level, not under RLS: a user's tenant switcher lists memberships across tenants.
    """

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, db_column_name="user_id")
    positions = JSON(default="[]")
    # Positions granted today by running assignments (kefu.duties keeps this: at each
    # assignment change and each day by its sweep); their permissions join the member's.
    granted = JSON(default="[]")
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())

    def positions_list(self) -> list[str]:
        value = self.positions
        if isinstance(value, str):
            return list(json.loads(value or "[]"))
        return list(value or [])

    def held_positions(self) -> list[str]:
        """The member's positions and those their running assignments grant: what their
        permissions come from."""
        value = self.granted
        granted = json.loads(value or "[]") if isinstance(value, str) else list(value or [])
        return sorted(set(self.positions_list()) | set(granted))


class ApiToken(TenantOwned, Table):
    """A bearer token for one tenant's /api/t/{slug}/…; only its SHA-256 is stored."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, db_column_name="user_id")
    token_hash = Varchar(length=64, unique=True)
    label = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
