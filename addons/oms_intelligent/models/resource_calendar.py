from datetime import datetime, time, timedelta

import pytz

from odoo import models

from ..services.working_days import MONDAY_TO_FRIDAY, WorkingDays, closed_days

ALL_DAY = (0.0, 24.0)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def action_oms_public_holidays(self):
        """The wizard that fills this calendar's public holidays for a country, a region and a year."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Public Holidays"),
            "res_model": "oms.public.holiday.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_calendar_id": self.id},
        }

    def _oms_working_days(self, first_day, last_day):
        """The working days of this calendar from ``first_day`` to ``last_day``: its weekdays with working hours,
        less the days its public holidays close (one query). No calendar, or flexible hours: Monday to Friday."""
        if not self:
            return WorkingDays()
        hours = self._oms_working_hours()
        holidays = self._oms_public_holidays(first_day, last_day)
        return WorkingDays(frozenset(hours), closed_days(holidays, hours))

    def _oms_working_hours(self):
        """weekday (Monday is 0) -> (first, last working hour) of this calendar's attendances, breaks left out; a
        two-week calendar works the days either week works."""
        self.ensure_one()
        hours = {}
        for attendance in self.attendance_ids if not self.flexible_hours else ():
            if attendance.display_type or attendance.day_period == "lunch" or attendance.resource_id:
                continue
            weekday = int(attendance.dayofweek)
            first, last = hours.get(weekday, (attendance.hour_from, attendance.hour_to))
            hours[weekday] = (min(first, attendance.hour_from), max(last, attendance.hour_to))
        return hours or dict.fromkeys(MONDAY_TO_FRIDAY, ALL_DAY)

    def _oms_public_holidays(self, first_day, last_day):
        """(start, end) in the calendar's local time of the public holidays of this calendar (and of every calendar
        of its company) touching ``first_day`` to ``last_day``."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")

        def utc(day):
            return tz.localize(datetime.combine(day, time())).astimezone(pytz.utc).replace(tzinfo=None)

        def local(moment):
            return pytz.utc.localize(moment).astimezone(tz).replace(tzinfo=None)

        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("resource_id", "=", False),
                    ("time_type", "=", "leave"),
                    ("date_from", "<", utc(last_day + timedelta(days=1))),
                    ("date_to", ">", utc(first_day)),
                    "|",
                    ("calendar_id", "=", self.id),
                    "&",
                    ("calendar_id", "=", False),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                ["date_from", "date_to"],
            )
        )
        return [(local(leave.date_from), local(leave.date_to)) for leave in leaves]
