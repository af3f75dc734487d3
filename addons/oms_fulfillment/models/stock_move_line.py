from odoo import models
from odoo.tools import groupby

from ..services.picking import Line, pick_path


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _oms_pick_list(self):
        """These lines in walking order (see services/picking.py), cut in one section per zone:
        ``[{"zone": name, "lines": [move line, ...]}]``."""
        self.fetch(["picking_id", "product_id", "quantity", "location_id"])
        locations = self.location_id._oms_locations()
        path = pick_path(
            Line(line.id, line.picking_id.id, line.product_id.id, line.quantity, locations[line.location_id.id])
            for line in self
        )
        zones = self.env["oms.pick.zone"].browse({line.location.zone_id for line in path} - {0})
        names = {zone.id: zone.name for zone in zones}
        # The path is in walking order, zone after zone; Odoo's groupby keeps the order in which zones come first.
        return [
            {
                "zone": names.get(zone_id) or self.env._("No zone"),
                "lines": self.browse([line.line_id for line in lines]),
            }
            for zone_id, lines in groupby(path, key=lambda line: line.location.zone_id)
        ]
