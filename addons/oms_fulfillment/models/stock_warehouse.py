from odoo import fields, models

from .res_company import CARRIER_POLICIES


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    oms_carrier_policy = fields.Selection(
        CARRIER_POLICIES,
        string="Carrier Choice",
        help="How rate shopping chooses the carrier of this warehouse's deliveries; the company's choice when empty.",
    )
    oms_return_location_id = fields.Many2one(
        "stock.location",
        string="Returns Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where returned goods wait to be checked, outside the sellable stock; created with the first return.",
    )

    def _oms_carrier_policy(self):
        self.ensure_one()
        return self.oms_carrier_policy or self.company_id.oms_carrier_policy

    def _oms_return_location(self):
        """The warehouse's Returns (quality) location: internal, beside its stock (not inside it), so returned goods
        are never reserved for deliveries until released."""
        self.ensure_one()
        if not self.oms_return_location_id:
            self.sudo().oms_return_location_id = (
                self.env["stock.location"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Returns"),
                        "usage": "internal",
                        "location_id": self.view_location_id.id,
                        "company_id": self.company_id.id,
                    }
                )
            )
        return self.oms_return_location_id
