from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    oms_released = fields.Datetime(
        "Released", readonly=True, copy=False, help="When Release handed this transfer to the pickers."
    )
    oms_release_rank = fields.Integer(
        "Pick Order", readonly=True, copy=False, help="Its place among the transfers released together."
    )

    def _oms_pick_list(self):
        """Sections (one per zone) of this transfer's lines in walking order, for its pick list."""
        return self.move_line_ids._oms_pick_list()
