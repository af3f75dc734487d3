from odoo import models
from odoo.tools import SQL


class OmsStockPosition(models.Model):
    _inherit = "oms.stock.position"

    _depends = {
        "oms.channel": ["warehouse_id", "company_id"],
        "oms.channel.cart": ["channel_id", "state"],
        "oms.channel.cart.line": ["cart_id", "product_id", "quantity"],
    }

    def _cart_hold_query(self):
        """Units in the channels' open carts, held at the channel's default warehouse, where its orders ship from.

        A channel without one has its orders shipped from the company's default warehouse (the first by sequence,
        as Odoo picks it), so its carts are held there; abandoned and ordered carts hold nothing.
        """
        return SQL(
            """
            SELECT line.product_id,
                   COALESCE(
                       channel.warehouse_id,
                       (SELECT warehouse.id
                          FROM stock_warehouse warehouse
                         WHERE warehouse.company_id = channel.company_id AND warehouse.active
                         ORDER BY warehouse.sequence, warehouse.id
                         LIMIT 1)
                   ) AS warehouse_id,
                   line.quantity
              FROM oms_channel_cart_line line
              JOIN oms_channel_cart cart ON cart.id = line.cart_id
              JOIN oms_channel channel ON channel.id = cart.channel_id
             WHERE cart.state = 'open'
            """
        )
