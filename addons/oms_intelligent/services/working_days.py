"""A warehouse's working days and the day a parcel leaves it, in plain Python (no Odoo import).

**Working days** are those of the warehouse company's working calendar (``resource.calendar``): the weekdays it has
working hours on, less the days its public holidays close (``resource.calendar.leaves`` without a resource). The
models read the calendar once for the dates a computation needs and pass a :class:`WorkingDays`; without a calendar
it is Monday to Friday.

A public holiday closes a day when it covers all of that day's working hours: a holiday entered for the whole day
does, an afternoon off does not (the parcels of the morning still leave).

**The shipping day.** A parcel handed over at a moment (the warehouse's local time) leaves that day when it is a
working day and the moment is before the warehouse's cut-off hour; otherwise it leaves on the next working day.
Example: handed over on a Friday at 18:00 with a 17:00 cut-off -> leaves on Monday (on Tuesday when Monday is a
public holiday). Release groups transfers by this day and rate shopping counts the transit days from it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MONDAY_TO_FRIDAY = frozenset(range(5))  # date.weekday(): Monday is 0
# A holiday ending this close to the end of the working hours covers them (Odoo enters days as 00:00 to 23:59:59).
END_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class WorkingDays:
    """The weekdays worked (Monday is 0) and the dates closed by public holidays."""

    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    closed: frozenset[date] = frozenset()

    def __post_init__(self):
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ValueError(f"working weekdays must be some of 0 (Monday) to 6 (Sunday), not {set(self.weekdays)}")

    def is_working(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.closed

    def next_after(self, day: date) -> date:
        """The first working day after ``day``."""
        day += timedelta(days=1)
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def add(self, day: date, days: int) -> date:
        """``days`` working days after ``day`` (``day`` itself when 0)."""
        for _step in range(max(0, days)):
            day = self.next_after(day)
        return day


def ship_day(moment: datetime, cutoff_hour: float, working: WorkingDays) -> date:
    """The day a parcel handed over at ``moment`` (the warehouse's local time, naive) leaves the warehouse."""
    day = moment.date()
    hour = moment.hour + moment.minute / 60 + moment.second / 3600
    if working.is_working(day) and hour < cutoff_hour:
        return day
    return working.next_after(day)


def closed_days(
    holidays: Iterable[tuple[datetime, datetime]], hours: Mapping[int, tuple[float, float]]
) -> frozenset[date]:
    """The working days that ``holidays`` (start and end, the calendar's local time, naive) close: those whose
    working hours (``hours``: weekday -> first and last working hour) a holiday covers from start to end."""
    closed = set()
    for start, end in holidays:
        day = start.date()
        while day <= end.date():
            if day.weekday() in hours:
                first, last = hours[day.weekday()]
                opens = datetime.combine(day, time()) + timedelta(hours=first)
                closes = datetime.combine(day, time()) + timedelta(hours=last)
                if start <= opens and end + END_TOLERANCE >= closes:
                    closed.add(day)
            day += timedelta(days=1)
    return frozenset(closed)
