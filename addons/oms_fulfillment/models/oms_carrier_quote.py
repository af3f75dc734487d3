from odoo import api, fields, models


class OmsCarrierQuote(models.Model):
    """What a carrier asked to ship one delivery order when its rates were shopped (or why it gave no rate)."""

    _name = "oms.carrier.quote"
    _description = "Carrier Quote"
    _order = "picking_id, failed, price_company, transit_days, id"
    _rec_name = "carrier_id"

    picking_id = fields.Many2one("stock.picking", "Delivery Order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="picking_id.company_id", store=True, index=True)
    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="cascade")
    delivery_type = fields.Selection(related="carrier_id.delivery_type", string="Provider")
    currency_id = fields.Many2one("res.currency")
    price = fields.Monetary(currency_field="currency_id", help="The carrier's price, in its currency.")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    price_company = fields.Monetary(
        "Price in Company Currency",
        currency_field="company_currency_id",
        help="The price the quotes of a delivery are compared on.",
    )
    service_code = fields.Char("Service", help="The carrier's service this price is for, booked with its label.")
    transit_days = fields.Integer(help="Working days from collection to delivery.")
    ship_date = fields.Date("Ships On", help="The first working day the parcel leaves, after the warehouse cut-off.")
    eta = fields.Date("Estimated Arrival")
    chosen = fields.Boolean(readonly=True)
    error_message = fields.Text("Error", readonly=True)
    failed = fields.Boolean(compute="_compute_failed", store=True)

    @api.depends("error_message")
    def _compute_failed(self):
        for quote in self:
            quote.failed = bool(quote.error_message)
