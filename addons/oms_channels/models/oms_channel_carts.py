from odoo import fields, models


class OmsChannelCarts(models.Model):
    """What the channel's customers hold in their carts, and the reminder of abandoned ones."""

    _inherit = "oms.channel"

    abandoned_cart_delay = fields.Float(
        "Remind Abandoned Carts After (hours)",
        default=24.0,
        help="Hours between the channel's abandoned-cart event and the reminder e-mail.",
    )
    abandoned_cart_template_id = fields.Many2one(
        "mail.template",
        string="Abandoned-Cart E-mail",
        domain=[("model", "=", "oms.channel.cart")],
        default=lambda self: self.env.ref("oms_channels.mail_template_abandoned_cart", raise_if_not_found=False),
        help="E-mail sent to customers who abandoned their cart; none is sent when empty.",
    )
    cart_count_open = fields.Integer("Open Carts", compute="_compute_cart_totals")
    cart_reserved_qty = fields.Float(
        "Quantity in Open Carts", compute="_compute_cart_totals", digits="Product Unit of Measure"
    )

    _sql_constraints = [
        (
            "abandoned_cart_delay_not_negative",
            "CHECK(abandoned_cart_delay >= 0)",
            "The abandoned-cart reminder delay cannot be negative.",
        ),
    ]

    def _compute_cart_totals(self):
        open_carts = {
            channel: (count, quantity)
            for channel, count, quantity in self.env["oms.channel.cart"]._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "open")],
                ["channel_id"],
                ["__count", "quantity_total:sum"],
            )
        }
        for channel in self:
            channel.cart_count_open, channel.cart_reserved_qty = open_carts.get(channel, (0, 0.0))

    def _cart_quantities_by_product(self):
        """{product id: quantity} held in the open carts of these channels, in one grouped query."""
        return {
            product.id: quantity
            for product, quantity in self.env["oms.channel.cart.line"]._read_group(
                [("channel_id", "in", self.ids), ("cart_id.state", "=", "open")], ["product_id"], ["quantity:sum"]
            )
        }

    def action_open_carts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_channels.action_oms_channel_cart")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
