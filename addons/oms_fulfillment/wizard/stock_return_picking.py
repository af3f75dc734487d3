from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values_based_on(self, picking):
        """Returns of an OMS return request go to the warehouse's Returns location."""
        values = super()._prepare_picking_default_values_based_on(picking)
        location_id = self.env.context.get("oms_return_location_id")
        if location_id:
            values["location_dest_id"] = location_id
        return values
