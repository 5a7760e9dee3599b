from typing import TYPE_CHECKING

from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Heartbeat(Table):
    """Written by the heartbeat actor: proof that scheduler → broker → worker → DB works."""

    if TYPE_CHECKING:  # Piccolo adds the serial primary key when it creates the class
        id: Serial

    source = Varchar(length=40, unique=True)
    beat_at = Timestamptz(default=TimestamptzNow())
