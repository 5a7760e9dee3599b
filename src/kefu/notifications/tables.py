from piccolo.columns import JSON, Bytea, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned


class Notice(TenantOwned, Table):
    """One notice owed to someone: written in the transaction of the change that owes it.

    email/sms: pending → sent once a provider accepted it (`provider`, `provider_ref`), or
    failed (retried with backoff) → dead, or waiting while the channel is not configured
    (released to pending once it is).
    letter: pending → ready (PDF made, waiting to be posted) → sent when staff mark it posted.
    `sent_on` is the sent date in the tenant's time zone, compared with `due_on`.
    """

    kind = Varchar(length=60)
    subject_type = Varchar(length=40)
    subject_id = Integer()
    recipient_name = Varchar(length=200, default="")
    recipient_email = Varchar(length=254, default="")
    recipient_phone = Varchar(length=40, default="")
    recipient_address = Text(default="")
    locale = Varchar(length=10, default="zh_CN")
    channel = Varchar(length=10)
    data = JSON(default="{}")
    due_on = Date(null=True, default=None)
    unique_key = Varchar(length=200)
    state = Varchar(length=10, default="pending")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    last_error = Text(default="")
    rendered_subject = Text(default="")
    rendered_body = Text(default="")
    document = Bytea(null=True, default=None)  # a letter's PDF, as it was posted
    provider = Varchar(length=20, default="")  # who accepted it: smtp, aliyun, mailbox, post
    provider_ref = Varchar(length=100, default="")  # the provider's id for it (Aliyun's BizId)
    sent_at = Timestamptz(null=True, default=None)
    sent_on = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class NoticeTemplate(TenantOwned, Table):
    """A tenant's own wording for one (kind, locale, channel); without it the default file applies."""

    kind = Varchar(length=60)
    locale = Varchar(length=10)
    channel = Varchar(length=10)
    subject = Varchar(length=200, default="")
    body = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="updated_by_id")


class DeliverySetting(TenantOwned, Table):
    """A tenant's delivery settings (one row): its SMS provider and its sending hours.

    The AccessKey secret is encrypted (kefu.core.crypto) and never shown again.
    """

    sms_provider = Varchar(length=20, default="")  # "" (none) or "aliyun"
    sms_access_key_id = Varchar(length=100, default="")
    sms_secret_sealed = Text(default="")
    sms_sign_name = Varchar(length=40, default="")
    sms_templates = JSON(default="{}")  # notice kind -> the provider's template code
    send_from = Integer(default=8 * 60)  # minutes after midnight, tenant time
    send_until = Integer(default=21 * 60)
    updated_at = Timestamptz(default=TimestamptzNow())
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="updated_by_id")
