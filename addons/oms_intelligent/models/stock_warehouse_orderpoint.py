import json
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, float_compare, float_round, format_date, split_every

from ..services.forecast import forecast_many
from ..services.reorder import (
    ReorderLevels,
    ReorderPolicy,
    affected_orders,
    daily_histories,
    reorder_levels,
    stockout_day,
)

# Two years of daily demand: enough for a yearly season; the forecast itself bounds the window it fits.
HISTORY_DAYS = 730
# Days of forecast kept on the reorder point, for its chart and for the stockout date of the delay alert.
FORECAST_DAYS = 56
CHART_WEEKS = 26
RECOMPUTE_BATCH = 500
# A scheduled run handles this many before reporting progress and letting the runner commit and call again.
CRON_CHUNK = 4 * RECOMPUTE_BATCH

FORECAST_METHODS = [
    ("none", "No history"),
    ("ses", "Simple exponential smoothing"),
    ("holt", "Holt's trend"),
    ("hw_weekly", "Holt-Winters, weekly season"),
    ("hw_yearly", "Holt-Winters, yearly season"),
    ("croston_sba", "Croston (SBA), intermittent"),
]


class StockWarehouseOrderpoint(models.Model):
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
    oms_forecast_chart = fields.Json("Forecast Chart", compute="_compute_oms_forecast_chart")

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

    # Recomputation -----------------------------------------------------------------------------------------------

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
        company = self.env.company
        self.fetch(["product_id", "warehouse_id", "supplier_id", "product_min_qty", "product_max_qty"])
        products = self.product_id
        products.fetch(["product_tmpl_id", "uom_id", "standard_price"])
        sellers = self._oms_first_sellers(products)
        today = fields.Date.context_today(self)
        first_day = today - timedelta(days=HISTORY_DAYS)
        keys = [(orderpoint.product_id.id, orderpoint.warehouse_id.id) for orderpoint in self]
        series = self._oms_demand_series(products.ids, first_day, today)
        forecasts = forecast_many(daily_histories(series, keys, HISTORY_DAYS), FORECAST_DAYS)
        purchase_days = company.po_lead + company.days_to_purchase
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        computed = []
        for orderpoint, forecast in zip(self, forecasts, strict=True):
            product = orderpoint.product_id
            seller = orderpoint.supplier_id or sellers.get(product.id)
            warnings = []
            vendor_days = seller.delay if seller else 0
            defaulted = vendor_days <= 0
            if defaulted:
                vendor_days = company.oms_reorder_default_lead_days
                if seller:
                    warnings.append(
                        self.env._("%(vendor)s has no lead time: default used", vendor=seller.partner_id.name)
                    )
            if not seller:
                warnings.append(
                    self.env._("No vendor: no RFQ can be created, the warehouse managers are alerted instead")
                )
            lead_days = vendor_days + purchase_days
            if forecast.method == "none":
                fallback = company.oms_reorder_fallback_min
                warnings.insert(0, self.env._("No sales history: minimum set to the configured %(qty)s", qty=fallback))
                levels = ReorderLevels(fallback, fallback, 0.0, 0.0, 0.0, 0.0)
            else:
                policy = ReorderPolicy(
                    service_level=orderpoint.oms_service_level / 100.0,
                    max_rule=orderpoint.oms_max_rule or company.oms_reorder_max_rule,
                    cover_days=orderpoint.oms_cover_days,
                    order_cost=company.oms_reorder_order_cost,
                    holding_rate=company.oms_reorder_holding_rate / 100.0,
                )
                levels = reorder_levels(forecast, lead_days, product.standard_price, policy, product.uom_id.rounding)
                if levels.notes:
                    warnings.append(self.env._("No unit cost for the economic order quantity: days of cover used"))
            computed.append((orderpoint, forecast, levels, lead_days, defaulted, "; ".join(warnings) or None))
        self._oms_store_recomputation(computed, digits)

    def _oms_store_recomputation(self, computed, digits):
        """Write the new levels and add their history rows: one UPDATE and one INSERT for the whole batch.

        The scheduled action recomputes every forecast reorder point each night (10,000 and more); through the ORM,
        500 separate writes and creates, with their per-value conversions, took half of the recomputation's time.
        Only plain stored columns are written (Odoo's quantities to order are computed when read), and the cache of
        these records is invalidated afterwards."""

        def quantity(value):
            return float_round(value, precision_digits=digits)

        self.flush_model()
        now = fields.Datetime.now()
        uid = self.env.uid
        rows, history = [], []
        for orderpoint, forecast, levels, lead_days, defaulted, warning in computed:
            error = round(forecast.mase or 0.0, 2)
            daily = json.dumps([round(float(qty), 4) for qty in forecast.daily])
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    orderpoint.id,
                    quantity(levels.min_qty),
                    quantity(levels.max_qty),
                    orderpoint.product_min_qty,
                    orderpoint.product_max_qty,
                    forecast.method,
                    error,
                    quantity(levels.daily_demand),
                    quantity(levels.lead_demand),
                    quantity(forecast.sigma),
                    quantity(levels.safety_stock),
                    lead_days,
                    defaulted,
                    warning,
                    daily,
                )
            )
            history.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    orderpoint.id,
                    orderpoint.company_id.id,
                    orderpoint.product_min_qty,
                    orderpoint.product_max_qty,
                    quantity(levels.min_qty),
                    quantity(levels.max_qty),
                    forecast.method,
                    error,
                    quantity(levels.daily_demand),
                    lead_days,
                    warning,
                )
            )
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
                uid=uid,
            )
        )
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
                uid=uid,
            )
        )
        self.invalidate_recordset()

    def _oms_first_sellers(self, products):
        """The vendor Odoo would buy each product from (first by sequence, valid today, this company or shared)."""
        today = fields.Date.context_today(self)
        supplierinfos = self.env["product.supplierinfo"].search(
            [
                ("product_tmpl_id", "in", products.product_tmpl_id.ids),
                ("company_id", "in", [False, self.env.company.id]),
                "|",
                ("date_start", "=", False),
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ],
            order="sequence, min_qty, price, id",
        )
        by_template = defaultdict(list)
        for supplierinfo in supplierinfos:
            by_template[supplierinfo.product_tmpl_id.id].append(supplierinfo)
        first = {}
        for product in products:
            for supplierinfo in by_template[product.product_tmpl_id.id]:
                if supplierinfo.product_id.id in (False, product.id):
                    first[product.id] = supplierinfo
                    break
        return first

    def _oms_demand_series(self, product_ids, first_day, today):
        """{(product, warehouse): (day offsets from ``first_day``, net demand of each day)} in one query.

        Demand is what left for customers, on the day it left, minus customer returns on the day they came back,
        plus orders not shipped yet on the day they were taken (at the latest yesterday, the last full day of
        history). The database sums per day and hands back one pair of arrays per series: a batch of 500 series of
        two years is some 300,000 days, which Python would otherwise fetch and place one row at a time."""
        yesterday = today - timedelta(days=1)
        self.env["stock.move"].flush_model(
            ["product_id", "product_qty", "state", "date", "location_id", "location_dest_id", "company_id"]
        )
        self.env["stock.location"].flush_model(["usage", "warehouse_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT product_id, warehouse_id, array_agg(day - %(first_day)s::date), array_agg(quantity)
                  FROM (
                        SELECT m.product_id,
                               CASE WHEN dest.usage = 'customer' THEN src.warehouse_id
                                    ELSE dest.warehouse_id END AS warehouse_id,
                               CASE WHEN m.state = 'done' THEN m.date::date
                                    ELSE LEAST(GREATEST(m.create_date::date, %(first_day)s), %(yesterday)s)
                               END AS day,
                               SUM(CASE WHEN dest.usage = 'customer' THEN m.product_qty
                                        ELSE -m.product_qty END)::float AS quantity
                          FROM stock_move m
                          JOIN stock_location src ON src.id = m.location_id
                          JOIN stock_location dest ON dest.id = m.location_dest_id
                         WHERE m.product_id = ANY(%(products)s)
                           AND m.company_id = %(company)s
                           AND ((src.usage = 'internal' AND dest.usage = 'customer')
                                OR (src.usage = 'customer' AND dest.usage = 'internal' AND m.state = 'done'))
                           AND ((m.state = 'done' AND m.date >= %(first_day)s AND m.date < %(today)s)
                                OR m.state NOT IN ('done', 'cancel', 'draft'))
                      GROUP BY 1, 2, 3
                       ) daily
              GROUP BY product_id, warehouse_id
                """,
                products=list(product_ids),
                company=self.env.company.id,
                first_day=first_day,
                yesterday=yesterday,
                today=today,
            )
        )
        return {
            (product_id, warehouse_id): (offsets, quantities)
            for product_id, warehouse_id, offsets, quantities in self.env.cr.fetchall()
        }

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

    # Alerts ------------------------------------------------------------------------------------------------------

    def _procure_orderpoint_confirm(self, use_new_cursor=False, company_id=None, raise_user_error=True):
        # What is due is read before ordering: once the RFQ exists, it counts as stock in progress.
        forecast = self.filtered(lambda orderpoint: orderpoint.oms_reorder_mode == "forecast")
        due = forecast.filtered(
            lambda point: float_compare(point.qty_to_order, 0.0, precision_rounding=point.product_uom.rounding) > 0
        )
        due_on_hand = {orderpoint.id: orderpoint.qty_on_hand for orderpoint in due}
        result = super()._procure_orderpoint_confirm(
            use_new_cursor=use_new_cursor, company_id=company_id, raise_user_error=raise_user_error
        )
        if due:
            due._oms_alert_reorders(due_on_hand)
        return result

    def _oms_alert_reorders(self, on_hand_by_orderpoint):
        """Tell the warehouse managers about reorders that arrive after the stock runs out, or that no vendor can
        fill, with the product, the expected stockout date and the open orders that will wait."""
        today = fields.Date.context_today(self)
        commitments = self._oms_open_commitments()
        sellers = self._oms_first_sellers(self.product_id)
        for orderpoint in self:
            on_hand = on_hand_by_orderpoint[orderpoint.id]
            committed = commitments.get((orderpoint.product_id.id, orderpoint.warehouse_id.id), [])
            available = on_hand - sum(quantity for _reference, _date, quantity in committed)
            daily = orderpoint.oms_forecast_daily or []
            days = stockout_day(available, daily)
            stockout = today + timedelta(days=days) if days is not None else None
            waiting = affected_orders(on_hand, committed, stockout)
            vendor = orderpoint.supplier_id or sellers.get(orderpoint.product_id.id)
            arrival = today + timedelta(days=orderpoint.oms_lead_days or 0)
            if not vendor:
                summary = self.env._("No vendor to reorder %(product)s", product=orderpoint.product_id.display_name)
                note = self.env._(
                    "%(warehouse)s needs %(qty)s more %(product)s but the product has no vendor, so no RFQ was "
                    "created. Expected stockout: %(stockout)s. Open orders waiting: %(orders)s.",
                    warehouse=orderpoint.warehouse_id.name,
                    qty=orderpoint.qty_to_order,
                    product=orderpoint.product_id.display_name,
                    stockout=format_date(self.env, stockout)
                    if stockout
                    else self.env._("not within %s days", FORECAST_DAYS),
                    orders=", ".join(waiting) or self.env._("none"),
                )
            elif stockout is not None and stockout < arrival:
                summary = self.env._(
                    "%(product)s runs out before its reorder", product=orderpoint.product_id.display_name
                )
                note = self.env._(
                    "%(warehouse)s runs out of %(product)s around %(stockout)s; the reorder from %(vendor)s arrives "
                    "around %(arrival)s (%(days)s days lead time). Open orders waiting: %(orders)s.",
                    warehouse=orderpoint.warehouse_id.name,
                    product=orderpoint.product_id.display_name,
                    stockout=format_date(self.env, stockout),
                    vendor=vendor.partner_id.name,
                    arrival=format_date(self.env, arrival),
                    days=round(orderpoint.oms_lead_days),
                    orders=", ".join(waiting) or self.env._("none"),
                )
            else:
                continue
            orderpoint._oms_notify_warehouse_managers(summary, note)

    def _oms_open_commitments(self):
        """Open deliveries of these orderpoints' products, per (product, warehouse): (order, date, quantity)."""
        moves = self.env["stock.move"].search(
            [
                ("product_id", "in", self.product_id.ids),
                ("state", "not in", ["draft", "done", "cancel"]),
                ("location_dest_id.usage", "=", "customer"),
                ("location_id.warehouse_id", "in", self.warehouse_id.ids),
            ]
        )
        commitments = defaultdict(list)
        for move in moves:
            key = (move.product_id.id, move.location_id.warehouse_id.id)
            reference = move.sale_line_id.order_id.name or move.reference
            commitments[key].append((reference, move.date.date(), move.product_qty))
        return commitments

    def _oms_notify_warehouse_managers(self, summary, note):
        self.ensure_one()
        template = self.product_id.product_tmpl_id
        managers = self.env.ref("stock.group_stock_manager").users.filtered(
            lambda user: not user.share and self.company_id in user.company_ids
        )
        already = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "product.template"),
                    ("res_id", "=", template.id),
                    ("summary", "=", summary),
                    ("user_id", "in", managers.ids),
                ]
            )
            .user_id
        )
        for manager in managers - already:
            template.sudo().activity_schedule(
                "mail.mail_activity_data_warning", summary=summary, note=note, user_id=manager.id
            )

    # Chart -------------------------------------------------------------------------------------------------------

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
