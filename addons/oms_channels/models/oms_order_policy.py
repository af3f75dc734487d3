from odoo import fields, models
from odoo.tools.misc import formatLang


class OmsOrderPolicy(models.Model):
    _inherit = "oms.order.policy"

    channel_ids = fields.Many2many(
        "oms.channel", string="Channels", check_company=True, help="Only orders of these channels; all when empty."
    )
    check = fields.Selection(
        selection_add=[("unusual", "Unusual Quantity or Amount")],
        ondelete={"unusual": "cascade"},
        help="Payment: orders whose workflow requires payment wait for it. Credit: a business customer's open "
        "receivables, orders not invoiced and this order against its credit limit. Countries: billing and delivery "
        "countries differ on an order above the amount. Unusual: a channel order with a line above the channel's "
        "maximum quantity, or a total above its maximum amount.",
    )

    def _applies_to(self, orders):
        orders = super()._applies_to(orders)
        if self.channel_ids:
            orders = orders.filtered(lambda order: order.oms_channel_id in self.channel_ids)
        return orders

    def _reasons_unusual(self, orders):
        """Channel orders above their channel's limits: what a sender's mistake or an attack looks like."""
        reasons = {}
        for order in orders.filtered("oms_channel_id"):
            channel = order.oms_channel_id
            found = []
            max_quantity = channel.max_line_quantity
            if max_quantity:
                found += [
                    self.env._(
                        "%(product)s: %(quantity)s units (the channel's limit is %(limit)s)",
                        product=line.product_id.display_name,
                        quantity=formatLang(self.env, line.product_uom_qty, digits=0),
                        limit=formatLang(self.env, max_quantity, digits=0),
                    )
                    for line in order.order_line
                    if not line.display_type and line.product_uom_qty > max_quantity
                ]
            amount = order._oms_company_amount()
            if channel.max_order_amount and amount > channel.max_order_amount:
                currency = order.company_id.currency_id
                found.append(
                    self.env._(
                        "a total of %(amount)s (the channel's limit is %(limit)s)",
                        amount=formatLang(self.env, amount, currency_obj=currency),
                        limit=formatLang(self.env, channel.max_order_amount, currency_obj=currency),
                    )
                )
            if found:
                reasons[order] = self.env._("Unusual order: %s", "; ".join(found))
        return reasons

    def _ensure_unusual_policy(self, companies):
        """Every company with a channel holds unusual orders, unless a manager archived that policy on purpose."""
        existing = self.with_context(active_test=False).search(
            [("check", "=", "unusual"), ("company_id", "in", companies.ids)]
        )
        self.create(
            [
                {
                    "name": self.env._("Unusual quantity or amount"),
                    "sequence": 5,
                    "company_id": company.id,
                    "check": "unusual",
                    "action": "hold",
                    "auto_release": False,
                }
                for company in companies - existing.company_id
            ]
        )
