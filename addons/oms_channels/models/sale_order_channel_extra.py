from odoo import fields, models


class SaleOrderChannelExtra(models.Model):
    """What the platform said about an imported order beyond its lines, kept as it said it: its own number and
    status, coupon codes, gift message, grand total (in the order's and the shop's currency), and the refunds it
    made (announced once each)."""

    _inherit = "sale.order"

    oms_platform_reference = fields.Char("Platform Order Number", readonly=True, copy=False)
    oms_platform_status = fields.Char("Platform Status", readonly=True, copy=False)
    oms_prices_include_tax = fields.Boolean(
        "Channel Prices Include Tax", readonly=True, copy=False, help="The basis of the prices the channel sent."
    )
    oms_coupon_codes = fields.Char("Coupon Codes", readonly=True, copy=False)
    oms_gift_message = fields.Text("Gift Message", readonly=True, copy=False)
    oms_channel_grand_total = fields.Monetary(
        "Channel Grand Total",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="What the channel says the customer pays; the import checks that the order's total is the same.",
    )
    oms_shop_currency_id = fields.Many2one("res.currency", "Shop Currency", readonly=True, copy=False)
    oms_shop_grand_total = fields.Monetary(
        "Grand Total in Shop Currency", currency_field="oms_shop_currency_id", readonly=True, copy=False
    )
    oms_channel_refund_ids = fields.One2many(
        "oms.channel.refund",
        "sale_order_id",
        string="Channel Refunds",
        readonly=True,
        copy=False,
        groups="oms_intelligent.group_oms_user",
    )
