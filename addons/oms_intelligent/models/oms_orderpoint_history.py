from odoo import fields, models

from .stock_warehouse_orderpoint import FORECAST_METHODS


class OmsOrderpointHistory(models.Model):
    _name = "oms.orderpoint.history"
    _description = "Reorder Point Recomputation"
    _order = "create_date desc, id desc"

    orderpoint_id = fields.Many2one(
        "stock.warehouse.orderpoint", string="Reorder Point", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one(related="orderpoint_id.product_id")
    warehouse_id = fields.Many2one(related="orderpoint_id.warehouse_id")
    company_id = fields.Many2one(related="orderpoint_id.company_id", store=True, index=True)
    previous_min_qty = fields.Float("Previous Min", digits="Product Unit of Measure", readonly=True)
    previous_max_qty = fields.Float("Previous Max", digits="Product Unit of Measure", readonly=True)
    min_qty = fields.Float("New Min", digits="Product Unit of Measure", readonly=True)
    max_qty = fields.Float("New Max", digits="Product Unit of Measure", readonly=True)
    method = fields.Selection(FORECAST_METHODS, string="Forecast Method", readonly=True)
    forecast_error = fields.Float("Forecast Error (MASE)", digits=(16, 2), readonly=True)
    daily_demand = fields.Float("Forecast per Day", digits="Product Unit of Measure", readonly=True)
    lead_days = fields.Float("Lead Time (days)", readonly=True)
    note = fields.Char(readonly=True)
