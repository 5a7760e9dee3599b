from piccolo.columns import JSON, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned


class AuditEvent(TenantOwned, Table):
    """Append-only: the app role may only INSERT and SELECT it on PostgreSQL."""

    actor = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="actor_id")
    action = Varchar(length=80)
    object_type = Varchar(length=60)
    object_id = Integer(null=True, default=None)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)
    request_id = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
