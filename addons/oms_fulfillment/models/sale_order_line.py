from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _oms_return_lines(self):
        """The lines of the returns of these order lines that still count (not refused nor cancelled)."""
        if not self.ids:
            return self.env["oms.return.line"]
        return (
            self.env["oms.return.line"]
            .sudo()
            .search([("sale_line_id", "in", self.ids), ("state", "not in", ("refused", "cancelled"))])
        )

    def _oms_returned_qty(self):
        self.ensure_one()
        return sum(self._oms_return_lines().mapped("quantity"))

    def _oms_shipped_qty(self):
        """What the deliveries took to the customer, in the line's unit, before any return (Odoo's delivered
        quantity already subtracts the returns received)."""
        self.ensure_one()
        outgoing, _incoming = self.sudo()._get_outgoing_incoming_moves()
        return sum(
            move.product_uom._compute_quantity(move.quantity, self.product_uom, rounding_method="HALF-UP")
            for move in outgoing
            if move.state == "done"
        )
