from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, format_date, split_every

from ..services.forecast import forecast_many
from ..services.reorder import ReorderPolicy, affected_orders, daily_histories, reorder_levels, stockout_day

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
                    _(
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
        forecast = self.filtered(lambda orderpoint: orderpoint.oms_reorder_mode == "forecast")
        forecast._oms_recompute_reorder_points()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s reorder points recomputed from the forecast.", count=len(forecast)),
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
        company = self.env.company
        self.fetch(["product_id", "warehouse_id", "supplier_id", "product_min_qty", "product_max_qty"])
        products = self.product_id
        products.fetch(["product_tmpl_id", "uom_id", "standard_price"])
        sellers = self._oms_first_sellers(products)
        today = fields.Date.context_today(self)
        first_day = today - timedelta(days=HISTORY_DAYS)
        keys = [(orderpoint.product_id.id, orderpoint.warehouse_id.id) for orderpoint in self]
        rows = self._oms_demand_rows(products.ids, first_day, today)
        histories = daily_histories(rows, keys, first_day, today - timedelta(days=1))
        forecasts = forecast_many(histories, FORECAST_DAYS)
        purchase_days = company.po_lead + company.days_to_purchase
        now = fields.Datetime.now()
        history_values = []
        for orderpoint, forecast in zip(self, forecasts, strict=True):
            product = orderpoint.product_id
            seller = orderpoint.supplier_id or sellers.get(product.id)
            warnings = []
            vendor_days = seller.delay if seller else 0
            defaulted = vendor_days <= 0
            if defaulted:
                vendor_days = company.oms_reorder_default_lead_days
                if seller:
                    warnings.append(_("%(vendor)s has no lead time: default used", vendor=seller.partner_id.name))
            if not seller:
                warnings.append(_("No vendor: no RFQ can be created, the warehouse managers are alerted instead"))
            lead_days = vendor_days + purchase_days
            values = {
                "oms_previous_min_qty": orderpoint.product_min_qty,
                "oms_previous_max_qty": orderpoint.product_max_qty,
                "oms_forecast_method": forecast.method,
                "oms_forecast_error": forecast.mase or 0.0,
                "oms_demand_sigma": forecast.sigma,
                "oms_lead_days": lead_days,
                "oms_lead_days_defaulted": defaulted,
                "oms_computed_at": now,
                "oms_forecast_daily": [round(float(quantity), 4) for quantity in forecast.daily],
            }
            if forecast.method == "none":
                fallback = company.oms_reorder_fallback_min
                warnings.insert(0, _("No sales history: minimum set to the configured %(qty)s", qty=fallback))
                values.update(
                    product_min_qty=fallback,
                    product_max_qty=fallback,
                    oms_daily_demand=0.0,
                    oms_lead_demand=0.0,
                    oms_safety_stock=0.0,
                )
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
                    warnings.append(_("No unit cost for the economic order quantity: days of cover used"))
                values.update(
                    product_min_qty=levels.min_qty,
                    product_max_qty=levels.max_qty,
                    oms_daily_demand=levels.daily_demand,
                    oms_lead_demand=levels.lead_demand,
                    oms_safety_stock=levels.safety_stock,
                )
            values["oms_warning"] = "; ".join(warnings) or False
            orderpoint.write(values)
            history_values.append(
                {
                    "orderpoint_id": orderpoint.id,
                    "previous_min_qty": values["oms_previous_min_qty"],
                    "previous_max_qty": values["oms_previous_max_qty"],
                    "min_qty": values["product_min_qty"],
                    "max_qty": values["product_max_qty"],
                    "method": forecast.method,
                    "forecast_error": values["oms_forecast_error"],
                    "daily_demand": values["oms_daily_demand"],
                    "lead_days": lead_days,
                    "note": values["oms_warning"],
                }
            )
        self.env["oms.orderpoint.history"].create(history_values)

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

    def _oms_demand_rows(self, product_ids, first_day, today):
        """Daily demand per (product, warehouse) in one grouped query: deliveries done to customers on the day they
        left, customer returns subtracted on the day they came back, and orders not shipped yet on the day they
        were taken (at the latest yesterday, the last full day of history)."""
        yesterday = today - timedelta(days=1)
        self.env["stock.move"].flush_model(
            ["product_id", "product_qty", "state", "date", "location_id", "location_dest_id", "company_id"]
        )
        self.env["stock.location"].flush_model(["usage", "warehouse_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT m.product_id,
                       CASE WHEN dest.usage = 'customer' THEN src.warehouse_id ELSE dest.warehouse_id END,
                       CASE WHEN m.state = 'done' THEN m.date::date
                            ELSE LEAST(GREATEST(m.create_date::date, %(first_day)s), %(yesterday)s) END,
                       SUM(CASE WHEN dest.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END)::float
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
                """,
                products=list(product_ids),
                company=self.env.company.id,
                first_day=first_day,
                yesterday=yesterday,
                today=today,
            )
        )
        return (
            ((product_id, warehouse_id), day, quantity)
            for product_id, warehouse_id, day, quantity in self.env.cr.fetchall()
        )

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
                summary = _("No vendor to reorder %(product)s", product=orderpoint.product_id.display_name)
                note = _(
                    "%(warehouse)s needs %(qty)s more %(product)s but the product has no vendor, so no RFQ was "
                    "created. Expected stockout: %(stockout)s. Open orders waiting: %(orders)s.",
                    warehouse=orderpoint.warehouse_id.name,
                    qty=orderpoint.qty_to_order,
                    product=orderpoint.product_id.display_name,
                    stockout=format_date(self.env, stockout) if stockout else _("not within %s days", FORECAST_DAYS),
                    orders=", ".join(waiting) or _("none"),
                )
            elif stockout is not None and stockout < arrival:
                summary = _("%(product)s runs out before its reorder", product=orderpoint.product_id.display_name)
                note = _(
                    "%(warehouse)s runs out of %(product)s around %(stockout)s; the reorder from %(vendor)s arrives "
                    "around %(arrival)s (%(days)s days lead time). Open orders waiting: %(orders)s.",
                    warehouse=orderpoint.warehouse_id.name,
                    product=orderpoint.product_id.display_name,
                    stockout=format_date(self.env, stockout),
                    vendor=vendor.partner_id.name,
                    arrival=format_date(self.env, arrival),
                    days=round(orderpoint.oms_lead_days),
                    orders=", ".join(waiting) or _("none"),
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
            rows = company_orderpoint._oms_demand_rows(orderpoint.product_id.ids, first_day, today)
            key = (orderpoint.product_id.id, orderpoint.warehouse_id.id)
            history = [0.0] * CHART_WEEKS
            for row_key, day, quantity in rows:
                if row_key == key:
                    week = (day - first_day).days // 7
                    if 0 <= week < CHART_WEEKS:
                        history[week] += quantity
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
                    "history": _("Weekly demand"),
                    "forecast": _("Forecast"),
                    "min": _("Reorder point (min)"),
                    "max": _("Max"),
                    "on_hand": _("On hand"),
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
