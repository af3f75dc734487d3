from odoo import fields, models

from ..services.geo import Location


class ResPartner(models.Model):
    _inherit = "res.partner"

    oms_vip = fields.Boolean(
        "VIP Customer", help="Orders of this customer (or of its contacts) become VIP special orders."
    )

    def _oms_location(self):
        """Where this address is, as the routing engine reads it (unknown parts stay None)."""
        self.ensure_one()
        return Location(
            latitude=self.partner_latitude or None,
            longitude=self.partner_longitude or None,
            country_code=self.country_id.code or None,
            region=self.state_id.code or None,
        )
