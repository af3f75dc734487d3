"""A working calendar's public holidays, filled for a country, a region and a year with one button."""

from datetime import date, datetime

import holidays
import pytz

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPublicHolidays(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.manager = new_test_user(
            cls.env,
            login="holiday_manager",
            groups="base.group_user,oms_intelligent.group_oms_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Madrid warehouse", "tz": "Europe/Madrid", "company_id": cls.company.id}
        )

    def fill(self, year=2026, subdivision="MD", **values):
        """Press the calendar's button as an OMS manager and fill the wizard it opens."""
        calendar = self.calendar.with_user(self.manager)
        action = calendar.action_oms_public_holidays()
        # The web client's context: the user's language.
        context = dict(action["context"], lang=self.manager.lang)
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**context))
        wizard.subdivision = subdivision
        wizard.year = year
        for name, value in values.items():
            setattr(wizard, name, value)
        return wizard.save().action_fill()

    def public_holidays(self):
        return self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.calendar.id), ("resource_id", "=", False)]
        )

    def test_one_button_fills_the_national_and_madrid_holidays_of_a_year(self):
        self.fill()
        leaves = self.public_holidays()
        madrid = pytz.timezone("Europe/Madrid")
        days = {madrid.fromutc(leave.date_from).date(): leave for leave in leaves}
        expected = holidays.country_holidays("ES", subdiv="MD", years=2026)
        self.assertEqual(set(days), set(expected), "the holidays of Spain and of the Community of Madrid")
        self.assertIn("Madrid", days[date(2026, 5, 2)].name, "Madrid's own day")
        self.assertIn(date(2026, 12, 8), days, "the Immaculate Conception, national")
        self.assertNotIn(date(2026, 4, 6), days, "Easter Monday is Catalonia's, not Madrid's")
        # Each one covers the whole day in Madrid.
        immaculate = days[date(2026, 12, 8)]
        self.assertEqual(
            (immaculate.date_from, immaculate.date_to),
            (datetime(2026, 12, 7, 23, 0), datetime(2026, 12, 8, 22, 59, 59)),
        )
        self.assertEqual(immaculate.company_id, self.company)

    def test_a_manager_fills_only_the_working_hours_of_companies_she_works_in(self):
        other_company = self.env["res.company"].create({"name": "Other Warehouses Ltd"})
        foreign = self.env["resource.calendar"].create({"name": "Elsewhere", "company_id": other_company.id})
        wizard = (
            self.env["oms.public.holiday.wizard"]
            .with_user(self.manager)
            .create({"calendar_id": foreign.id, "country_id": self.env.ref("base.es").id, "year": 2026})
        )
        with self.assertRaises(AccessError):
            wizard.action_fill()
        self.assertFalse(self.env["resource.calendar.leaves"].search([("calendar_id", "=", foreign.id)]))

    def test_a_spanish_speaking_manager_gets_the_holidays_named_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.manager.lang = "es_ES"
        self.fill()
        names = set(self.public_holidays().mapped("name"))
        self.assertIn("Inmaculada Concepción", names)
        self.assertIn("Fiesta de la Comunidad de Madrid", names)

    def test_filling_twice_creates_nothing_new_and_days_already_there_are_kept(self):
        own = self.env["resource.calendar.leaves"].create(
            {
                "name": "Nochebuena y Navidad",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 12, 24, 23, 0),
                "date_to": datetime(2026, 12, 25, 22, 59, 59),
            }
        )
        self.fill()
        count = len(self.public_holidays())
        self.assertEqual(count, len(holidays.country_holidays("ES", subdiv="MD", years=2026)))
        self.assertIn(own, self.public_holidays(), "Christmas was already there: kept, not doubled")
        self.fill()
        self.assertEqual(len(self.public_holidays()), count)

    def test_the_country_is_the_company_s_and_the_region_is_optional(self):
        action = self.calendar.with_user(self.manager).action_oms_public_holidays()
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        self.assertEqual(wizard.country_id, self.env.ref("base.es"))
        self.assertEqual(wizard.calendar_id, self.calendar)
        self.fill(subdivision=False)
        national = holidays.country_holidays("ES", years=2026)
        self.assertEqual(len(self.public_holidays()), len(national))
        self.fill(year=2027, subdivision="", country_id=self.env.ref("base.pt"))
        self.assertEqual(len(self.public_holidays()), len(national) + len(holidays.country_holidays("PT", years=2027)))

    def test_an_unknown_region_or_country_is_refused_with_the_known_ones(self):
        with self.assertRaisesRegex(UserError, "MD"):
            self.fill(subdivision="Comunidad de Marte")
        with self.assertRaisesRegex(UserError, "Kosovo"):
            self.fill(subdivision="", country_id=self.env.ref("base.xk"))
        self.assertFalse(self.public_holidays())
