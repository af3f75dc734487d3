"""The day a parcel leaves and the day it arrives follow the warehouse: its clock (its address's time zone, else its
company's, else UTC, never the user's) and its company's working calendar with its public holidays."""

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CarrierCase

# Monday 7 December 2026, 18:30 in Madrid (17:30 UTC): after the 17:00 cut-off, on the eve of the Immaculate
# Conception (Tuesday 8 December), a public holiday in Spain.
EVE_OF_HOLIDAY = datetime(2026, 12, 7, 17, 30)
# Friday 27 November 2026, 18:30 in Madrid (17:30 UTC): after the cut-off.
FRIDAY_EVENING = datetime(2026, 11, 27, 17, 30)
# Madrid is one hour ahead of UTC in winter.
MADRID_WINTER_OFFSET = timedelta(hours=1)


@tagged("post_install", "-at_install")
class TestShippingDay(CarrierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Europe/Madrid"

    def holiday(self, day, name="Inmaculada Concepción", **values):
        """A public holiday of the company's calendar, all day long in Madrid, as Odoo's form enters it."""
        return self.env["resource.calendar.leaves"].create(
            {
                "name": name,
                "calendar_id": self.calendar.id,
                "date_from": datetime.combine(day, time(0, 0)) - MADRID_WINTER_OFFSET,
                "date_to": datetime.combine(day, time(23, 59, 59)) - MADRID_WINTER_OFFSET,
                **values,
            }
        )

    def shop(self, picking, moment):
        with freeze_time(moment):
            picking.action_oms_shop_rates()
        return self.quotes_by_carrier(picking)

    def ship(self, picking, moment):
        with freeze_time(moment):
            self.validate(picking)
        self.assertEqual(picking.state, "done")
        return picking

    def test_a_parcel_handed_over_on_the_eve_of_a_holiday_in_madrid_leaves_after_it(self):
        self.holiday(date(2026, 12, 8))
        quotes = self.shop(self.delivery(self.lucia), EVE_OF_HOLIDAY)
        express = quotes[self.express]
        self.assertEqual(express.ship_date, date(2026, 12, 9), "not on the holiday: on Wednesday")
        self.assertEqual(express.eta, date(2026, 12, 11), "2 working days after Wednesday")
        picking = self.ship(self.delivery(self.lucia, carrier=self.express), EVE_OF_HOLIDAY)
        self.assertEqual(picking.oms_eta, date(2026, 12, 11))
        notice = self.env["mail.mail"].search([("model", "=", "stock.picking"), ("res_id", "=", picking.id)])
        self.assertIn("viernes, 11 de diciembre de 2026", notice.body_html)

    def test_holidays_count_in_the_transit_days(self):
        self.holiday(date(2026, 12, 8))
        # Friday evening: ships Monday 7, then 2 working days without Tuesday 8: Thursday 10.
        picking = self.ship(self.delivery(self.lucia, carrier=self.express), datetime(2026, 12, 4, 17, 30))
        self.assertEqual(picking.oms_eta, date(2026, 12, 10))

    def test_a_holiday_for_every_calendar_of_the_company_closes_the_warehouse_too(self):
        self.holiday(date(2026, 12, 8), calendar_id=False)
        quotes = self.shop(self.delivery(self.lucia), EVE_OF_HOLIDAY)
        self.assertEqual(quotes[self.express].ship_date, date(2026, 12, 9))

    def test_time_off_of_one_person_or_another_calendar_does_not_close_the_warehouse(self):
        other = self.env["resource.calendar"].create({"name": "Shop floor of another site", "tz": "Europe/Madrid"})
        self.holiday(date(2026, 12, 8), calendar_id=other.id)
        employee = self.env["resource.resource"].create({"name": "A picker", "calendar_id": self.calendar.id})
        self.holiday(date(2026, 12, 8), name="A picker's day off", resource_id=employee.id)
        half_day = self.holiday(date(2026, 12, 8), name="Afternoon off")
        half_day.date_from = datetime(2026, 12, 8, 13, 0)  # 14:00 in Madrid: the morning is worked
        quotes = self.shop(self.delivery(self.lucia), EVE_OF_HOLIDAY)
        self.assertEqual(quotes[self.express].ship_date, date(2026, 12, 8))

    def test_the_working_week_is_the_calendar_of_the_warehouse_company(self):
        self.calendar.attendance_ids = [
            Command.create(
                {"name": "Saturday morning", "dayofweek": "5", "hour_from": 8, "hour_to": 13, "day_period": "morning"}
            )
        ]
        quotes = self.shop(self.delivery(self.lucia), FRIDAY_EVENING)
        self.assertEqual(quotes[self.express].ship_date, date(2026, 11, 28), "the warehouse works on Saturdays")
        self.assertEqual(quotes[self.express].eta, date(2026, 12, 1), "Saturday + 2: Monday, Tuesday")

    def test_late_notices_go_by_the_warehouse_date_not_the_users(self):
        self.env.user.tz = "America/New_York"
        picking = self.ship(self.delivery(self.lucia, carrier=self.rest), FRIDAY_EVENING)
        self.assertEqual(picking.oms_eta, date(2026, 12, 7))
        self.rest_server.set_status(picking.carrier_tracking_ref, "in_transit")
        # Tuesday 8 December at 04:00 in Madrid is still Monday 7 (22:00) in New York.
        pickings = self.env["stock.picking"].with_context(tz="America/New_York")
        with freeze_time(datetime(2026, 12, 8, 3, 0)):
            pickings._cron_oms_poll_tracking()
        self.assertEqual(picking.activity_ids.summary, "Late shipment", "late in Madrid, where it ships from")

    def test_the_warehouse_clock_is_its_company_then_utc_never_the_users(self):
        self.env.user.tz = "Pacific/Auckland"
        users = self.env(context=dict(self.env.context, tz="Pacific/Auckland"))
        # Friday 27 November 10:00 UTC is 11:00 in Madrid and 23:00 in Auckland.
        morning = datetime(2026, 11, 27, 10, 0)
        self.madrid.partner_id.tz = False
        self.company.partner_id.tz = "Europe/Madrid"
        quotes = self.shop(self.delivery(self.lucia).with_env(users), morning)
        self.assertEqual(quotes[self.express].ship_date, date(2026, 11, 27), "Madrid's morning, the company's clock")
        self.company.partner_id.tz = False
        quotes = self.shop(self.delivery(self.lucia).with_env(users), morning)
        self.assertEqual(quotes[self.express].ship_date, date(2026, 11, 27), "UTC's morning, not Auckland's night")
        picking = self.ship(self.delivery(self.lucia, carrier=self.express).with_env(users), morning)
        self.assertEqual(picking.oms_eta, date(2026, 12, 1), "Friday + 2 working days")
