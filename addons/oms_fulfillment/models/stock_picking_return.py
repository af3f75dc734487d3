from odoo import fields, models


class StockPicking(models.Model):
    """The receipt of a return request's goods: once done, the request goes on (credit note or exchange order)."""

    _inherit = "stock.picking"

    oms_return_id = fields.Many2one(
        "oms.return", string="Return Request", readonly=True, copy=False, index="btree_not_null"
    )

    def _oms_return_received(self):
        """The goods of return requests are back: the requests go on (credit note or exchange order)."""
        received = self.filtered(
            lambda picking: picking.state == "done"
            and picking.oms_return_id
            and picking.location_id.usage == "customer"
        )
        if received:
            received.oms_return_id.sudo()._oms_receive()
