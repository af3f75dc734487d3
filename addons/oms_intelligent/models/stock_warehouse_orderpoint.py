from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import keep_column_defaults

FORECAST_METHODS = [
    ("none", "No history"),
    ("ses", "Simple exponential smoothing"),
    ("holt", "Holt's trend"),
    ("hw_weekly", "Holt-Winters, weekly season"),
    ("hw_yearly", "Holt-Winters, yearly season"),
    ("croston_sba", "Croston (SBA), intermittent"),
]


class StockWarehouseOrderpoint(models.Model):
    """A reorder point's forecast settings and what its last recomputation found. The recomputation, the delay
    alerts and the chart are in the ``stock_warehouse_orderpoint_*`` files beside this one."""

    _inherit = "stock.warehouse.orderpoint"

    oms_reorder_mode = fields.Selection(
        [("manual", "Manual"), ("forecast", "OMS Forecast")],
        string="Min/Max from",
        default="manual",
        required=True,
        help="OMS Forecast: a scheduled action recomputes the minimum and maximum every day from the demand "
        "forecast, the vendor lead time and the service level. Manual: they stay as you set them.",
    )
    oms_service_level = fields.Float(
        "Service Level (%)",
        default=lambda self: self.env.company.oms_reorder_service_level,
        help="Chance of not running out before a reorder arrives; a higher level keeps more safety stock.",
    )
    oms_max_rule = fields.Selection(
        [("eoq", "Economic order quantity"), ("cover", "Days of cover")],
        string="Reorder Quantity",
        default=lambda self: self.env.company.oms_reorder_max_rule,
    )
    oms_cover_days = fields.Integer("Days of Cover", default=lambda self: self.env.company.oms_reorder_cover_days)
    oms_forecast_method = fields.Selection(FORECAST_METHODS, string="Forecast Method", readonly=True)
    oms_forecast_error = fields.Float(
        "Forecast Error (MASE)",
        digits=(16, 2),
        readonly=True,
        help="Mean absolute scaled error on the last weeks held out of the fit: below 1, the forecast beat "
        "repeating the previous day's demand.",
    )
    oms_daily_demand = fields.Float("Forecast per Day", digits="Product Unit of Measure", readonly=True)
    oms_lead_demand = fields.Float("Forecast over Lead Time", digits="Product Unit of Measure", readonly=True)
    oms_demand_sigma = fields.Float(
        "Daily Deviation",
        digits="Product Unit of Measure",
        readonly=True,
        help="Standard deviation of the daily demand the forecast does not explain.",
    )
    oms_safety_stock = fields.Float("Safety Stock", digits="Product Unit of Measure", readonly=True)
    oms_lead_days = fields.Float("Lead Time (days)", readonly=True)
    oms_lead_days_defaulted = fields.Boolean(
        "Default Lead Time", readonly=True, help="The vendor has no lead time: the company's default was used."
    )
    oms_previous_min_qty = fields.Float("Previous Min", digits="Product Unit of Measure", readonly=True)
    oms_previous_max_qty = fields.Float("Previous Max", digits="Product Unit of Measure", readonly=True)
    oms_computed_at = fields.Datetime("Forecast On", readonly=True, copy=False)
    oms_forecast_daily = fields.Json("Daily Forecast", readonly=True, copy=False)
    oms_warning = fields.Char("Forecast Warning", readonly=True, copy=False)
    oms_history_ids = fields.One2many("oms.orderpoint.history", "orderpoint_id", string="Recomputations")

    def _auto_init(self):
        result = super()._auto_init()
        keep_column_defaults(self, ("oms_reorder_mode",))
        return result

    @api.constrains("oms_service_level")
    def _check_oms_service_level(self):
        for orderpoint in self:
            if orderpoint.oms_reorder_mode == "forecast" and not 50.0 <= orderpoint.oms_service_level < 100.0:
                raise ValidationError(
                    self.env._(
                        "The service level of %(orderpoint)s must be at least 50 %% and below 100 %%.",
                        orderpoint=orderpoint.display_name,
                    )
                )

    def _unlink_processed_orderpoints(self):
        # Odoo's replenishment report deletes the manual reorder points its superuser created once nothing is left
        # to order. A forecast one is configured, not a leftover: it stays, with its history.
        return super(
            StockWarehouseOrderpoint, self.with_context(oms_keep_forecast_orderpoints=True)
        )._unlink_processed_orderpoints()

    def unlink(self):
        if self.env.context.get("oms_keep_forecast_orderpoints"):
            leftovers = self.filtered(lambda orderpoint: orderpoint.oms_reorder_mode != "forecast")
            return super(StockWarehouseOrderpoint, leftovers).unlink()
        return super().unlink()

    def action_oms_open_forecast(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("oms_intelligent.oms_orderpoint_view_form").id, "form")],
            "target": "current",
        }
