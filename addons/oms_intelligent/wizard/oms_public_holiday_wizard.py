from datetime import datetime, time

import holidays
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..services.working_days import closed_days

ALL_DAYS = dict.fromkeys(range(7), (0.0, 24.0))


class OmsPublicHolidayWizard(models.TransientModel):
    """Fills a working calendar with the public holidays of a country (and one of its regions) for a year, as the
    `holidays` package knows them; the days the calendar already has a holiday on are left as they are."""

    _name = "oms.public.holiday.wizard"
    _description = "Fill Public Holidays"

    calendar_id = fields.Many2one("resource.calendar", "Working Hours", required=True, ondelete="cascade")
    country_id = fields.Many2one(
        "res.country", compute="_compute_country_id", store=True, readonly=False, required=True
    )
    subdivision = fields.Char(
        "Region",
        help="The region's code (or name) for its own holidays besides the national ones, e.g. MD or Madrid for the "
        "Community of Madrid, CT for Catalonia; empty for the national holidays only.",
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)

    @api.depends("calendar_id")
    def _compute_country_id(self):
        for wizard in self:
            wizard.country_id = wizard.calendar_id.company_id.country_id or self.env.company.country_id

    def action_fill(self):
        self.ensure_one()
        # The holidays are written as superuser below: only on working hours of this user's companies (Odoo has no
        # company rule on working hours to check that for us).
        company = self.calendar_id.company_id
        if company and company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You can fill the public holidays of working hours of your companies only, not %(company)s's.",
                    company=company.name,
                )
            )
        found = self._oms_holidays()
        there = self._oms_days_already_there(found)
        new = {day: name for day, name in found.items() if day not in there}
        tz = pytz.timezone(self.calendar_id.tz or "UTC")

        def utc(day, at):
            return tz.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)

        # Odoo leaves public holidays to the access rights administrators; this wizard is the OMS managers' (its
        # access rights), who keep the warehouses' working days, and it only adds whole-day public holidays.
        self.env["resource.calendar.leaves"].sudo().create(
            [
                {
                    "name": name,
                    "calendar_id": self.calendar_id.id,
                    "date_from": utc(day, time(0, 0)),
                    "date_to": utc(day, time(23, 59, 59)),
                    "time_type": "leave",
                }
                for day, name in sorted(new.items())
            ]
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Public Holidays"),
                "message": self.env._(
                    "%(added)s public holidays added to %(calendar)s; %(kept)s were already there.",
                    added=len(new),
                    calendar=self.calendar_id.display_name,
                    kept=len(found) - len(new),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _oms_holidays(self):
        """date -> name of the public holidays of the country (and region) in the year, in the user's language when
        the package has it."""
        code = self.country_id.code
        supported = holidays.list_supported_countries()
        if code not in supported:
            raise UserError(
                self.env._("No public holidays are known for %(country)s.", country=self.country_id.display_name)
            )
        region = (self.subdivision or "").strip()
        language = self._oms_language(holidays.country_holidays(code).supported_languages)
        try:
            found = holidays.country_holidays(
                code, subdiv=self._oms_region_code(region, supported[code]), years=self.year, language=language
            )
        except NotImplementedError:
            raise UserError(
                self.env._(
                    "%(region)s is not a region of %(country)s with public holidays of its own; those known are: "
                    "%(regions)s.",
                    region=region,
                    country=self.country_id.display_name,
                    regions=", ".join(supported[code]),
                )
            ) from None
        return dict(found.items())

    @staticmethod
    def _oms_region_code(region, codes):
        """The package's code of ``region`` (a code in any case, or a name the package knows), None for none."""
        if not region:
            return None
        return region.upper() if region.upper() in codes else region

    def _oms_language(self, supported):
        lang = self.env.lang or "en_US"
        for candidate in (lang, lang.split("_")[0], "en_US"):
            if candidate in supported:
                return candidate
        return None

    def _oms_days_already_there(self, found):
        """The days of ``found`` on which the calendar (or every calendar of its company) has a public holiday."""
        if not found:
            return frozenset()
        calendar = self.calendar_id
        return closed_days(calendar._oms_public_holidays(min(found), max(found)), ALL_DAYS)
