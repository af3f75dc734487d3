from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_repr, float_round


class StockPicking(models.Model):
    """Scanning every item before validating, where the operation type asks for it: what is left to scan, and the
    scanned quantities become the quantities shipped. The packing screen (``stock_picking_pack_screen``) counts the
    scans."""

    _inherit = "stock.picking"

    oms_scan_required = fields.Boolean(related="picking_type_id.oms_scan_required")
    oms_scan_refused_count = fields.Integer(
        "Refused Scans",
        copy=False,
        readonly=True,
        help="Scans the packing screen refused on this transfer: unknown barcodes, products not in the order, "
        "more than ordered.",
    )
    oms_scan_complete = fields.Boolean(
        "Fully Scanned",
        compute="_compute_oms_scan_complete",
        help="Every item of the transfer (except lot/serial-tracked products) has been scanned on the packing screen.",
    )

    @api.depends("move_ids.oms_scanned_qty", "move_ids.product_uom_qty", "move_ids.state")
    def _compute_oms_scan_complete(self):
        for picking in self:
            picking.oms_scan_complete = not picking._oms_scan_gaps()

    def _oms_check_scanned(self):
        """Refuse to validate the transfers whose operation type asks for every item scanned, and that are not."""
        unscanned = self.filtered(lambda picking: picking.oms_scan_required and picking._oms_scan_gaps())
        if unscanned:
            raise UserError(
                "\n\n".join(picking._oms_scan_gaps_text() for picking in unscanned)
                + "\n\n"
                + self.env._(
                    'Scan them with the Pack button of the transfer, or turn off "Scan Every Item Before '
                    'Validating" on its operation type.'
                )
            )

    def _oms_apply_scanned_quantities(self):
        """The scanned quantities become the picked quantities of the scanned lines."""
        for picking in self:
            moves = picking._oms_scannable_moves().filtered(lambda move: move.state != "done")
            if not moves.filtered("oms_scanned_qty"):
                continue
            for move in moves:
                if float_compare(move.quantity, move.oms_scanned_qty, precision_rounding=move.product_uom.rounding):
                    move.quantity = move.oms_scanned_qty
            moves.picked = True
            # Lot/serial-tracked lines keep the quantities set on the transfer, picked as Odoo would pick them.
            tracked = (picking.move_ids - moves).filtered(lambda move: move.state not in ("done", "cancel"))
            if not any(tracked.mapped("picked")):
                tracked.filtered("quantity").picked = True

    def _oms_scannable_moves(self):
        """The lines the packing screen counts: not cancelled, not tracked by lots or serial numbers."""
        return self.move_ids.filtered(lambda move: move.state != "cancel" and move.product_id.tracking == "none")

    @staticmethod
    def _oms_move_scanned(move):
        """-1, 0 or 1: less, exactly or more scanned than ordered on the move."""
        return float_compare(move.oms_scanned_qty, move.product_uom_qty, precision_rounding=move.product_uom.rounding)

    def _oms_scan_gaps(self):
        """The scannable lines not scanned exactly as ordered."""
        self.ensure_one()
        return self._oms_scannable_moves().filtered(lambda move: self._oms_move_scanned(move) != 0)

    def _oms_scan_gaps_text(self):
        self.ensure_one()
        lines = []
        for move in self._oms_scan_gaps():
            if self._oms_move_scanned(move) < 0:
                lines.append(
                    self.env._(
                        "- %(quantity)s × %(product)s",
                        quantity=self._oms_quantity_text(move.product_uom_qty - move.oms_scanned_qty, move.product_uom),
                        product=move.product_id.display_name,
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "- %(product)s: %(scanned)s scanned but %(demand)s ordered; clear the scans and count again",
                        product=move.product_id.display_name,
                        scanned=self._oms_quantity_text(move.oms_scanned_qty, move.product_uom),
                        demand=self._oms_quantity_text(move.product_uom_qty, move.product_uom),
                    )
                )
        return (
            self.env._("%s cannot be validated before every item is scanned. Still to scan:", self.name)
            + "\n"
            + "\n".join(lines)
        )

    def _oms_quantity_text(self, quantity, uom):
        """`quantity` without trailing zeros, followed by its unit unless the unit is Units."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        text = float_repr(float_round(quantity, precision_rounding=uom.rounding), digits)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if uom != self.env.ref("uom.product_uom_unit"):
            text = f"{text} {uom.name}"
        return text
