from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    oms_scanned_qty = fields.Float(
        "Scanned",
        digits="Product Unit of Measure",
        copy=False,
        readonly=True,
        help="Units of this line scanned on the packing screen, in the line's unit of measure.",
    )
