from piccolo.columns import Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Heartbeat(Table):
    """Written by the heartbeat actor: proof that scheduler → broker → worker → DB works."""

    source = Varchar(length=40, unique=True)
    beat_at = Timestamptz(default=TimestamptzNow())
