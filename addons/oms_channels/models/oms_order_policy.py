from odoo import fields, models


class OmsOrderPolicy(models.Model):
    _inherit = "oms.order.policy"

    channel_ids = fields.Many2many(
        "oms.channel", string="Channels", check_company=True, help="Only orders of these channels; all when empty."
    )

    def _applies_to(self, orders):
        orders = super()._applies_to(orders)
        if self.channel_ids:
            orders = orders.filtered(lambda order: order.oms_channel_id in self.channel_ids)
        return orders
