from odoo import fields, models

from .res_company import CARRIER_POLICIES


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    oms_carrier_policy = fields.Selection(
        CARRIER_POLICIES,
        string="Carrier Choice",
        help="How rate shopping chooses the carrier of this warehouse's deliveries; the company's choice when empty.",
    )

    def _oms_carrier_policy(self):
        self.ensure_one()
        return self.oms_carrier_policy or self.company_id.oms_carrier_policy
