from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_new_picking_values(self):
        # In stock 18.0 a move's priority is its picking's (a procurement's 'priority' value is lost when the picking
        # is assigned), so the deliveries of a priority special order are starred when they are created.
        values = super()._get_new_picking_values()
        if any(order._oms_is_priority() for order in self.group_id.sale_id):
            values["priority"] = "1"
        return values
