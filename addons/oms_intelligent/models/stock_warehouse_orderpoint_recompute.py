import json
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, float_round, split_every

from ..services.forecast import forecast_many
from ..services.reorder import ReorderLevels, ReorderPolicy, daily_histories, reorder_levels

# Two years of daily demand: enough for a yearly season; the forecast itself bounds the window it fits.
HISTORY_DAYS = 730
# Days of forecast kept on the reorder point, for its chart and for the stockout date of the delay alert.
FORECAST_DAYS = 56
RECOMPUTE_BATCH = 500
# A scheduled run handles this many before reporting progress and letting the runner commit and call again.
CRON_CHUNK = 4 * RECOMPUTE_BATCH


class StockWarehouseOrderpointRecompute(models.Model):
    """The forecast reorder points' new minimum and maximum: demand history in, forecast and levels out, written in a
    constant number of queries per batch."""

    _inherit = "stock.warehouse.orderpoint"

    @api.model
    def _cron_oms_recompute_reorder_points(self):
        """Recompute the forecast reorder points not recomputed today, a chunk per call (the cron runner commits
        between calls and calls again while some remain)."""
        start_of_today = datetime.combine(fields.Date.today(), time.min)
        stale = [
            ("oms_reorder_mode", "=", "forecast"),
            "|",
            ("oms_computed_at", "=", False),
            ("oms_computed_at", "<", start_of_today),
        ]
        chunk = self.search(stale, limit=CRON_CHUNK, order="oms_computed_at ASC NULLS FIRST, id")
        chunk._oms_recompute_reorder_points()
        self.env["ir.cron"]._notify_progress(done=len(chunk), remaining=self.search_count(stale))

    def action_oms_recompute(self):
        # Behind a manager-only button: stock managers who are not OMS managers may not run it either.
        if not self.env.user.has_group("oms_intelligent.group_oms_manager"):
            raise AccessError(self.env._("Only Order Management managers recompute reorder points from the forecast."))
        forecast = self.filtered(lambda orderpoint: orderpoint.oms_reorder_mode == "forecast")
        forecast._oms_recompute_reorder_points()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s reorder points recomputed from the forecast.", count=len(forecast)),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _oms_recompute_reorder_points(self):
        forecast = self.filtered(lambda orderpoint: orderpoint.oms_reorder_mode == "forecast")
        for company, orderpoints in forecast.grouped("company_id").items():
            for batch in split_every(RECOMPUTE_BATCH, orderpoints.ids, self.browse):
                batch.with_company(company)._oms_recompute_batch()

    def _oms_recompute_batch(self):
        """Forecast and new min/max for orderpoints of one company, in a constant number of queries."""
        self.check_access("write")
        self.env["oms.orderpoint.history"].check_access("create")
        self.fetch(["product_id", "warehouse_id", "supplier_id", "product_min_qty", "product_max_qty"])
        products = self.product_id
        products.fetch(["product_tmpl_id", "uom_id", "standard_price"])
        sellers = self._oms_first_sellers(products)
        today = fields.Date.context_today(self)
        first_day = today - timedelta(days=HISTORY_DAYS)
        keys = [(orderpoint.product_id.id, orderpoint.warehouse_id.id) for orderpoint in self]
        series = self._oms_demand_series(products.ids, first_day, today)
        forecasts = forecast_many(daily_histories(series, keys, HISTORY_DAYS), FORECAST_DAYS)
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        computed = [
            (orderpoint, forecast, *orderpoint._oms_levels(forecast, sellers))
            for orderpoint, forecast in zip(self, forecasts, strict=True)
        ]
        self._oms_store_recomputation(computed, digits)

    def _oms_levels(self, forecast, sellers):
        """This orderpoint's levels from its forecast: (levels, lead days, whether the lead time was defaulted, the
        warnings as one text or None). ``sellers``: {product id: first vendor}."""
        self.ensure_one()
        company = self.env.company
        seller = self.supplier_id or sellers.get(self.product_id.id)
        lead_days, defaulted, warnings = self._oms_lead_days(seller)
        if forecast.method == "none":
            fallback = company.oms_reorder_fallback_min
            warnings.insert(0, self.env._("No sales history: minimum set to the configured %(qty)s", qty=fallback))
            levels = ReorderLevels(fallback, fallback, 0.0, 0.0, 0.0, 0.0)
        else:
            policy = ReorderPolicy(
                service_level=self.oms_service_level / 100.0,
                max_rule=self.oms_max_rule or company.oms_reorder_max_rule,
                cover_days=self.oms_cover_days,
                order_cost=company.oms_reorder_order_cost,
                holding_rate=company.oms_reorder_holding_rate / 100.0,
            )
            product = self.product_id
            levels = reorder_levels(forecast, lead_days, product.standard_price, policy, product.uom_id.rounding)
            if levels.notes:
                warnings.append(self.env._("No unit cost for the economic order quantity: days of cover used"))
        return levels, lead_days, defaulted, "; ".join(warnings) or None

    def _oms_lead_days(self, seller):
        """Days from today to a reorder's arrival: the vendor's lead time (the company's default when it has none)
        plus the company's purchase delays; whether the default was used, and the warnings about the vendor."""
        company = self.env.company
        warnings = []
        vendor_days = seller.delay if seller else 0
        defaulted = vendor_days <= 0
        if defaulted:
            vendor_days = company.oms_reorder_default_lead_days
            if seller:
                warnings.append(self.env._("%(vendor)s has no lead time: default used", vendor=seller.partner_id.name))
        if not seller:
            warnings.append(self.env._("No vendor: no RFQ can be created, the warehouse managers are alerted instead"))
        return vendor_days + (company.po_lead + company.days_to_purchase), defaulted, warnings

    def _oms_store_recomputation(self, computed, digits):
        """Write the new levels and add their history rows: one UPDATE and one INSERT for the whole batch.

        The scheduled action recomputes every forecast reorder point each night (10,000 and more); through the ORM,
        500 separate writes and creates, with their per-value conversions, took half of the recomputation's time.
        Only plain stored columns are written (Odoo's quantities to order are computed when read), and the cache of
        these records is invalidated afterwards."""

        def quantity(value):
            return float_round(value, precision_digits=digits)

        self.flush_model()
        rows = [_levels_row(*values, quantity) for values in computed]
        history = [_history_row(*values, quantity) for values in computed]
        now = fields.Datetime.now()
        self._oms_update_levels(rows, now)
        self._oms_insert_history(history, now)
        self.invalidate_recordset()

    def _oms_update_levels(self, rows, now):
        """New levels and forecast figures of the batch's orderpoints, the old levels kept as previous: one UPDATE."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_warehouse_orderpoint op
                   SET product_min_qty = v.min_qty::numeric, product_max_qty = v.max_qty::numeric,
                       oms_previous_min_qty = v.previous_min::numeric, oms_previous_max_qty = v.previous_max::numeric,
                       oms_forecast_method = v.method::varchar, oms_forecast_error = v.error::numeric,
                       oms_daily_demand = v.daily::numeric, oms_lead_demand = v.lead_demand::numeric,
                       oms_demand_sigma = v.sigma::numeric, oms_safety_stock = v.safety::numeric,
                       oms_lead_days = v.lead_days::float8, oms_lead_days_defaulted = v.defaulted::bool,
                       oms_warning = v.warning::varchar, oms_forecast_daily = v.forecast::jsonb,
                       oms_computed_at = %(now)s, write_uid = %(uid)s, write_date = %(now)s
                  FROM (VALUES %(rows)s) AS v(id, min_qty, max_qty, previous_min, previous_max, method, error, daily,
                                              lead_demand, sigma, safety, lead_days, defaulted, warning, forecast)
                 WHERE op.id = v.id
                """,
                rows=SQL(", ").join(rows),
                now=now,
                uid=self.env.uid,
            )
        )

    def _oms_insert_history(self, history, now):
        """One recomputation row per orderpoint of the batch: one INSERT."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO oms_orderpoint_history (orderpoint_id, company_id, previous_min_qty, previous_max_qty,
                            min_qty, max_qty, method, forecast_error, daily_demand, lead_days, note,
                            create_uid, create_date, write_uid, write_date)
                SELECT orderpoint_id, company_id, previous_min::numeric, previous_max::numeric, min_qty::numeric,
                       max_qty::numeric, method::varchar, error::numeric, daily::numeric, lead_days::float8,
                       note::varchar, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (VALUES %(history)s) AS v(orderpoint_id, company_id, previous_min, previous_max, min_qty,
                                                 max_qty, method, error, daily, lead_days, note)
                """,
                history=SQL(", ").join(history),
                now=now,
                uid=self.env.uid,
            )
        )


def _levels_row(orderpoint, forecast, levels, lead_days, defaulted, warning, quantity):
    """The VALUES row of ``_oms_update_levels`` for one orderpoint (``quantity`` rounds a quantity)."""
    return SQL(
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        orderpoint.id,
        quantity(levels.min_qty),
        quantity(levels.max_qty),
        orderpoint.product_min_qty,
        orderpoint.product_max_qty,
        forecast.method,
        round(forecast.mase or 0.0, 2),
        quantity(levels.daily_demand),
        quantity(levels.lead_demand),
        quantity(forecast.sigma),
        quantity(levels.safety_stock),
        lead_days,
        defaulted,
        warning,
        json.dumps([round(float(qty), 4) for qty in forecast.daily]),
    )


def _history_row(orderpoint, forecast, levels, lead_days, _defaulted, warning, quantity):
    """The VALUES row of ``_oms_insert_history`` for one orderpoint (``quantity`` rounds a quantity)."""
    return SQL(
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        orderpoint.id,
        orderpoint.company_id.id,
        orderpoint.product_min_qty,
        orderpoint.product_max_qty,
        quantity(levels.min_qty),
        quantity(levels.max_qty),
        forecast.method,
        round(forecast.mase or 0.0, 2),
        quantity(levels.daily_demand),
        lead_days,
        warning,
    )
