import json
from typing import TYPE_CHECKING

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned


class IdentityProvider(TenantOwned, Table):
    """A tenant's OpenID provider (one per tenant). The client secret is stored encrypted
    (kefu.core.crypto) and never shown again."""

    if TYPE_CHECKING:  # Piccolo adds the serial primary key when it creates the class
        id: Serial

    label = Varchar(length=100)  # the button: "Sign in with <label>"
    issuer = Varchar(length=500)  # the issuer URL; discovery is <issuer>/.well-known/openid-configuration
    client_id = Varchar(length=200)
    client_secret_enc = Text(default="")
    scopes = Varchar(length=300, default="openid email profile")
    allowed_domains = Varchar(length=1000, default="")  # space-separated, empty: any domain
    admission = Varchar(length=20, default="invited")  # invited | automatic
    default_position = Varchar(length=50, default="")
    is_enabled = Boolean(default=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class ExternalIdentity(TenantOwned, Table):
    """A provider's subject linked to a kefu account, in one tenant."""

    if TYPE_CHECKING:
        id: Serial

    issuer = Varchar(length=500)
    subject = Varchar(length=255)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, db_column_name="user_id")
    created_at = Timestamptz(default=TimestamptzNow())
    last_signin_at = Timestamptz(null=True, default=None)


class Invitation(TenantOwned, Table):
    """An invitation to join a tenant with positions: a single-use token (only its SHA-256 is
    stored) that expires."""

    if TYPE_CHECKING:
        id: Serial

    email = Varchar(length=254)
    positions = JSON(default="[]")
    token_hash = Varchar(length=64, unique=True)
    invited_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="invited_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    sent_count = Integer(default=1)
    accepted_at = Timestamptz(null=True, default=None)
    accepted_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="accepted_by_id")
    revoked_at = Timestamptz(null=True, default=None)

    def positions_list(self) -> list[str]:
        value = self.positions
        if isinstance(value, str):
            return list(json.loads(value or "[]"))
        return list(value or [])


class PasswordReset(Table):
    """A forgotten-password link: single use (only its SHA-256 is stored) and expiring. Users are
    platform-level, so it is not tenant-owned; the mail goes through one of the user's tenants'
    outbox."""

    if TYPE_CHECKING:
        id: Serial

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, db_column_name="user_id")
    via_tenant = Integer()  # the tenant whose outbox sent the link; its audit trail records both steps
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
