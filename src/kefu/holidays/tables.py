from typing import TYPE_CHECKING

from piccolo.columns import Boolean, Date, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class HolidayOverride(Table):
    """A day of the official schedule that chinesecalendar does not know (yet). Platform-wide."""

    if TYPE_CHECKING:  # Piccolo adds the serial primary key when it creates the class
        id: Serial

    day = Date(unique=True)
    is_workday = Boolean()
    note = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class HolidayYear(Table):
    """A year whose full schedule has been loaded: its dates are no longer provisional."""

    if TYPE_CHECKING:  # Piccolo adds the serial primary key when it creates the class
        id: Serial

    year = Integer(unique=True)
    loaded_at = Timestamptz(default=TimestamptzNow())
