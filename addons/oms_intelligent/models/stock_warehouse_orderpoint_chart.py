from datetime import timedelta

from odoo import api, fields, models

CHART_WEEKS = 26


class StockWarehouseOrderpointChart(models.Model):
    """The reorder point's chart: the weekly demand of the last half year and its forecast, with the min, max and on
    hand lines."""

    _inherit = "stock.warehouse.orderpoint"

    oms_forecast_chart = fields.Json("Forecast Chart", compute="_compute_oms_forecast_chart")

    @api.depends("oms_forecast_daily", "product_min_qty", "product_max_qty")
    def _compute_oms_forecast_chart(self):
        """Weekly demand of the last half year, the weekly forecast, and the min, max and on hand lines."""
        today = fields.Date.context_today(self)
        first_day = today - timedelta(weeks=CHART_WEEKS)
        for orderpoint in self:
            if not orderpoint.id or not orderpoint.product_id or not orderpoint.warehouse_id:
                orderpoint.oms_forecast_chart = False
                continue
            company_orderpoint = orderpoint.with_company(orderpoint.company_id)
            series = company_orderpoint._oms_demand_series(orderpoint.product_id.ids, first_day, today)
            offsets, quantities = series.get((orderpoint.product_id.id, orderpoint.warehouse_id.id), ((), ()))
            history = [0.0] * CHART_WEEKS
            for offset, quantity in zip(offsets, quantities, strict=True):
                if 0 <= offset // 7 < CHART_WEEKS:
                    history[offset // 7] += quantity
            daily = orderpoint.oms_forecast_daily or []
            forecast = [round(sum(daily[week * 7 : week * 7 + 7]), 2) for week in range(len(daily) // 7)]
            # The forecast line starts from the last week of history, so the two lines join.
            forecast_line = [None] * (CHART_WEEKS - 1) + [round(history[-1], 2)] + forecast if forecast else []
            weeks = [first_day + timedelta(weeks=week) for week in range(CHART_WEEKS + len(forecast))]
            orderpoint.oms_forecast_chart = {
                "labels": [fields.Date.to_string(week) for week in weeks],
                "history": [round(max(quantity, 0.0), 2) for quantity in history] + [None] * len(forecast),
                "forecast": forecast_line,
                "min": orderpoint.product_min_qty,
                "max": orderpoint.product_max_qty,
                "on_hand": orderpoint.qty_on_hand,
                "labels_text": {
                    "history": self.env._("Weekly demand"),
                    "forecast": self.env._("Forecast"),
                    "min": self.env._("Reorder point (min)"),
                    "max": self.env._("Max"),
                    "on_hand": self.env._("On hand"),
                },
            }
