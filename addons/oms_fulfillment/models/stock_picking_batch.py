from odoo import fields, models

from .stock_picking_type import PICKING_METHODS


class StockPickingBatch(models.Model):
    _inherit = "stock.picking.batch"

    oms_picking_method = fields.Selection(PICKING_METHODS, string="Picking Method", readonly=True, copy=False)
    oms_zone_id = fields.Many2one("oms.pick.zone", string="Zone", readonly=True, copy=False)

    def _oms_pick_list(self):
        """Sections (one per zone) of the batch's lines in walking order, for its pick list."""
        return self.move_line_ids._oms_pick_list()
