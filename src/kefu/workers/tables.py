from typing import TYPE_CHECKING

from piccolo.columns import JSON, Bytea, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.tenancy.tables import TenantOwned


class Heartbeat(Table):
    """Written by the heartbeat actor: proof that scheduler → broker → worker → DB works."""

    if TYPE_CHECKING:  # Piccolo adds the serial primary key when it creates the class
        id: Serial

    source = Varchar(length=40, unique=True)
    beat_at = Timestamptz(default=TimestamptzNow())


class Job(TenantOwned, Table):
    """Heavy work a member started (an import's check, a large export, a report), done by a
    worker off the request: its progress, then where its result is (a page, or a file kept
    here until it is fetched). Every module's long work shares this one table and page
    (kefu.workers.services, templates/jobs/)."""

    name = Varchar(length=60)  # the registered job (kefu.workers.registry) that does the work
    title = Varchar(length=200)  # a msgid: what the page calls the work
    state = Varchar(length=10, default="queued")  # queued | running | done | failed
    done = Integer(default=0)
    total = Integer(default=0)  # 0 while not known
    params = JSON(default="{}")
    upload = Bytea(null=True, default=None)  # the file the work reads; dropped when it ends
    result = JSON(default="{}")  # {"route": name, "params": {...}}: the page to go to
    output = Bytea(null=True, default=None)  # a file made (export, report)
    output_name = Varchar(length=255, default="")
    output_type = Varchar(length=100, default="")
    error = JSON(default="{}")  # {"message": msgid, "vars": {...}}
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, db_column_name="created_by_id")
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
