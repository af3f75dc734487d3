from odoo import api, fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    oms_scan_required = fields.Boolean(
        "Scan Every Item Before Validating",
        compute="_compute_oms_scan_required",
        store=True,
        readonly=False,
        help="Transfers of this type can be validated only once every item has been scanned on the packing screen "
        "(the Pack button of the transfer, or Order Management › Fulfillment › Pack); the scanned quantities are "
        "then the quantities shipped. On by default for the delivery orders of every warehouse. Products tracked "
        "by lots or serial numbers are not scanned there.",
    )

    @api.depends("code", "warehouse_id")
    def _compute_oms_scan_required(self):
        for picking_type in self:
            picking_type.oms_scan_required = picking_type.code == "outgoing" and bool(picking_type.warehouse_id)
