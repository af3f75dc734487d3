from odoo import fields, models


class OmsChannelRefund(models.Model):
    """A refund the platform made on an imported order, remembered by its id: announced once on the sale order
    (a note and an activity to make the credit note), and answered by the credit note made for it in Odoo
    (account.move._oms_match_platform_refunds), which the push-back of credit notes never sends to the platform."""

    _name = "oms.channel.refund"
    _description = "Channel Refund"
    _order = "date desc, id desc"

    sale_order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade", readonly=True)
    channel_id = fields.Many2one(related="sale_order_id.oms_channel_id", store=True)
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True)
    currency_id = fields.Many2one(related="sale_order_id.currency_id")
    external_id = fields.Char("Platform Refund", required=True, readonly=True)
    date = fields.Datetime(readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    shipping_amount = fields.Monetary("Shipping Refunded", currency_field="currency_id", readonly=True)
    description = fields.Text("Refunded Lines", readonly=True)
    move_ids = fields.One2many("account.move", "oms_channel_refund_id", string="Credit Note", readonly=True)

    _sql_constraints = [
        (
            "sale_order_external_uniq",
            "unique(sale_order_id, external_id)",
            "This refund of the platform is already known on this order.",
        )
    ]
