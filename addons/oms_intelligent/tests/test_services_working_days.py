"""A warehouse's working days and the day a parcel leaves it (plain pytest, no database)."""

from datetime import date, datetime

import pytest

from odoo.addons.oms_intelligent.services.working_days import WorkingDays, closed_days, ship_day

FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)
# The Standard 40 hours/week calendar: 8:00 to 17:00, Monday to Friday.
OFFICE_HOURS = dict.fromkeys(range(5), (8.0, 17.0))


def test_after_fridays_cutoff_a_parcel_leaves_on_monday_not_on_saturday():
    assert ship_day(datetime(2026, 11, 27, 18, 30), 17.0, WorkingDays()) == MONDAY
    assert ship_day(datetime(2026, 11, 27, 16, 30), 17.0, WorkingDays()) == FRIDAY
    assert ship_day(datetime(2026, 11, 28, 9, 0), 17.0, WorkingDays()) == MONDAY, "handed over on Saturday"


def test_a_public_holiday_moves_the_shipping_day_and_the_transit_days_after_it():
    immaculate = WorkingDays(closed=frozenset({date(2026, 12, 8)}))
    eve = datetime(2026, 12, 7, 18, 30)  # Monday after the cut-off
    assert ship_day(eve, 17.0, immaculate) == date(2026, 12, 9)
    assert ship_day(datetime(2026, 12, 8, 9, 0), 17.0, immaculate) == date(2026, 12, 9), "on the holiday itself"
    assert immaculate.add(date(2026, 12, 7), 2) == date(2026, 12, 10)
    assert immaculate.add(date(2026, 12, 9), 0) == date(2026, 12, 9)


def test_the_working_week_is_the_calendars():
    six_days = WorkingDays(weekdays=frozenset(range(6)))
    assert ship_day(datetime(2026, 11, 27, 18, 30), 17.0, six_days) == date(2026, 11, 28)
    assert six_days.add(FRIDAY, 2) == date(2026, 11, 30)
    with pytest.raises(ValueError, match="weekdays"):
        WorkingDays(weekdays=frozenset())


def test_a_holiday_closes_the_days_whose_working_hours_it_covers():
    whole_day = (datetime(2026, 12, 8, 0, 0), datetime(2026, 12, 8, 23, 59, 59))
    afternoon = (datetime(2026, 12, 24, 13, 0), datetime(2026, 12, 24, 23, 59, 59))
    christmas_week = (datetime(2026, 12, 25, 0, 0), datetime(2027, 1, 1, 23, 59, 59))
    closed = closed_days([whole_day, afternoon, christmas_week], OFFICE_HOURS)
    assert date(2026, 12, 8) in closed
    assert date(2026, 12, 24) not in closed, "the morning is worked"
    assert {day for day in closed if day >= date(2026, 12, 25)} == {
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
    }, "every working day of the week, not the weekend"
    # The working hours alone count: a holiday from 06:00 to 20:00 covers 8:00 to 17:00.
    assert closed_days([(datetime(2026, 12, 8, 6, 0), datetime(2026, 12, 8, 20, 0))], OFFICE_HOURS) == {
        date(2026, 12, 8)
    }
