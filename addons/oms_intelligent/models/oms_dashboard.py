from datetime import datetime, time, timedelta
from typing import NamedTuple

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

# Fill rate, split shipments, time to shipment and returns look back this many days.
DASHBOARD_DAYS = 30


class Tile(NamedTuple):
    """One figure of the dashboard: the count of `domain` on `model`, kept in `field`; its button opens that list."""

    field: str
    model: str
    domain: list
    title: str
    context: dict


class OmsDashboard(models.Model):
    """Reporting > OMS Dashboard: today's orders and the health of fulfilment, for the current company.

    One record per company holds nothing but the company: every figure is computed when the dashboard opens. Each
    tile counts the records of one domain (`_tiles`), and its button opens the list of exactly that domain, so a
    tile always counts what its list shows. Rates are one tile's count over another's.
    """

    _name = "oms.dashboard"
    _description = "OMS Dashboard"
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_days = fields.Integer("Period (days)", compute="_compute_figures")
    orders_today_count = fields.Integer("Orders Today", compute="_compute_figures")
    orders_today_breakdown = fields.Html("Orders Today by Channel and Status", compute="_compute_figures")
    late_count = fields.Integer("Late or Held Too Long", compute="_compute_figures")
    on_hold_count = fields.Integer("On Hold", compute="_compute_figures")
    shipped_line_count = fields.Integer("Lines Shipped", compute="_compute_figures")
    short_line_count = fields.Integer("Lines Short on First Delivery", compute="_compute_figures")
    fill_rate = fields.Float("Fill Rate (%)", digits=(16, 1), compute="_compute_figures")
    shipped_order_count = fields.Integer("Orders Shipped", compute="_compute_figures")
    split_order_count = fields.Integer("Orders Split", compute="_compute_figures")
    split_rate = fields.Float("Split Shipments (%)", digits=(16, 1), compute="_compute_figures")
    hours_to_ship = fields.Float("Hours Order to Shipment", digits=(16, 1), compute="_compute_figures")
    delivery_count = fields.Integer("Deliveries", compute="_compute_figures")
    return_count = fields.Integer("Returns", compute="_compute_figures")
    return_rate = fields.Float("Returns (%)", digits=(16, 1), compute="_compute_figures")
    stockout_count = fields.Integer("Stockouts", compute="_compute_figures")
    revenue_today_count = fields.Integer("Orders Confirmed Today", compute="_compute_figures")
    revenue_today = fields.Monetary(compute="_compute_figures")
    revenue_today_breakdown = fields.Html("Revenue Today by Currency", compute="_compute_figures")

    _sql_constraints = [("company_unique", "UNIQUE(company_id)", "One dashboard per company.")]

    @api.model
    def action_open_dashboard(self):
        dashboard = self.sudo().search([("company_id", "=", self.env.company.id)], limit=1)
        if not dashboard:
            dashboard = self.sudo().create({"company_id": self.env.company.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("OMS Dashboard"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "views": [(self.env.ref("oms_intelligent.oms_dashboard_view_form").id, "form")],
            "target": "current",
        }

    # Tiles -----------------------------------------------------------------------------------------------------

    def _today_start(self):
        """Midnight of the user's today, in UTC as orders store their dates."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        midnight = tz.localize(datetime.combine(fields.Date.context_today(self), time.min))
        return midnight.astimezone(pytz.utc).replace(tzinfo=None)

    def _tiles(self):
        """{tile: Tile(count field, model, domain, list title, context)} of the dashboard's company."""
        self.ensure_one()
        company = [("company_id", "=", self.company_id.id)]
        since = fields.Datetime.now() - timedelta(days=DASHBOARD_DAYS)
        return {
            **self._order_tiles(company, self._today_start()),
            **self._shipping_tiles(company, since),
            **self._warehouse_tiles(company, since),
        }

    def _order_tiles(self, company, today):
        """Today's orders and revenue, and the orders needing attention now."""
        Order = self.env["sale.order"].with_company(self.company_id)
        return {
            "orders_today": Tile(
                "orders_today_count",
                "sale.order",
                [*company, ("date_order", ">=", today), ("state", "!=", "cancel")],
                self.env._("Orders Today"),
                {"group_by": ["team_id", "oms_state"]},
            ),
            "late": Tile(
                "late_count",
                "sale.order",
                expression.AND([company, Order._oms_alert_domain()]),
                self.env._("Late Orders"),
                {},
            ),
            "on_hold": Tile(
                "on_hold_count", "sale.order", [*company, ("oms_on_hold", "=", True)], self.env._("On Hold"), {}
            ),
            "revenue_today": Tile(
                "revenue_today_count",
                "sale.order",
                [*company, ("state", "=", "sale"), ("date_order", ">=", today)],
                self.env._("Revenue Today"),
                {"group_by": ["currency_id"]},
            ),
        }

    def _shipping_tiles(self, company, since):
        """Over the period: the lines shipped and those short on their first delivery, the orders shipped and those
        split."""
        shipped_lines, short_lines = self._fill_lines(since)
        shipped_orders = [
            *company,
            ("state", "=", "sale"),
            (
                "picking_ids",
                "any",
                [("picking_type_code", "=", "outgoing"), ("state", "=", "done"), ("date_done", ">=", since)],
            ),
        ]
        return {
            "shipped_lines": Tile(
                "shipped_line_count", "sale.order.line", [("id", "in", shipped_lines)], self.env._("Lines Shipped"), {}
            ),
            "short_lines": Tile(
                "short_line_count",
                "sale.order.line",
                [("id", "in", short_lines)],
                self.env._("Lines Short on First Delivery"),
                {},
            ),
            "shipped_orders": Tile(
                "shipped_order_count", "sale.order", shipped_orders, self.env._("Orders Shipped"), {}
            ),
            "split_orders": Tile(
                "split_order_count",
                "sale.order",
                [("id", "in", self._split_orders(shipped_orders))],
                self.env._("Orders Split in Several Shipments"),
                {},
            ),
        }

    def _warehouse_tiles(self, company, since):
        """Over the period: the deliveries and returns done; and the products out of stock that sell."""
        done_since = [*company, ("state", "=", "done"), ("date_done", ">=", since)]
        return {
            "deliveries": Tile(
                "delivery_count",
                "stock.picking",
                [*done_since, ("picking_type_code", "=", "outgoing"), ("return_id", "=", False)],
                self.env._("Deliveries"),
                {},
            ),
            "returns": Tile(
                "return_count",
                "stock.picking",
                [*done_since, ("return_id", "!=", False), ("picking_type_code", "=", "incoming")],
                self.env._("Returns"),
                {},
            ),
            "stockouts": Tile(
                "stockout_count",
                "oms.stock.position",
                [*company, ("out_of_stock", "=", True), ("demand_30d", ">", 0)],
                self.env._("Stockouts"),
                {},
            ),
        }

    def _fill_lines(self, since):
        """(ids of the order lines first delivered since, ids of those whose first delivery was short).

        The first delivery of a line is its earliest done picking to a customer; it filled the line when it carried
        at least the ordered quantity (in the line's unit, as the delivery moves of an order line are)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH delivered AS (
                    SELECT move.sale_line_id, move.picking_id, MIN(move.date) AS date, SUM(move.quantity) AS quantity
                      FROM stock_move move
                      JOIN stock_location destination ON destination.id = move.location_dest_id
                      JOIN stock_location source ON source.id = move.location_id
                     WHERE move.state = 'done' AND move.sale_line_id IS NOT NULL
                       AND destination.usage = 'customer' AND source.usage != 'customer'
                       AND move.company_id = %(company)s
                     GROUP BY move.sale_line_id, move.picking_id
                ), first AS (
                    SELECT DISTINCT ON (sale_line_id) sale_line_id, date, quantity
                      FROM delivered
                     ORDER BY sale_line_id, date, picking_id
                )
                SELECT line.id, first.quantity < line.product_uom_qty - 0.00001
                  FROM first
                  JOIN sale_order_line line ON line.id = first.sale_line_id
                 WHERE first.date >= %(since)s
                """,
                company=self.company_id.id,
                since=since,
            )
        )
        rows = self.env.cr.fetchall()
        return [line_id for line_id, _short in rows], [line_id for line_id, short in rows if short]

    def _split_orders(self, shipped_orders):
        """Ids of the shipped orders with more than one delivery (not cancelled): split or backordered."""
        orders = self.env["sale.order"].sudo().search(shipped_orders)
        if not orders:
            return []
        self.env.cr.execute(
            SQL(
                """
                SELECT picking.sale_id
                  FROM stock_picking picking
                  JOIN stock_picking_type type ON type.id = picking.picking_type_id
                 WHERE picking.sale_id = ANY(%(orders)s) AND type.code = 'outgoing' AND picking.state != 'cancel'
                 GROUP BY picking.sale_id
                HAVING COUNT(*) > 1
                """,
                orders=orders.ids,
            )
        )
        return [order_id for (order_id,) in self.env.cr.fetchall()]

    def _hours_to_ship(self, order_ids):
        """Average hours from the order to its first done delivery, over the orders."""
        if not order_ids:
            return 0.0
        self.env.cr.execute(
            SQL(
                """
                SELECT AVG(EXTRACT(EPOCH FROM first.date_done - so.date_order) / 3600.0)
                  FROM sale_order so
                  JOIN (SELECT picking.sale_id, MIN(picking.date_done) AS date_done
                          FROM stock_picking picking
                          JOIN stock_picking_type type ON type.id = picking.picking_type_id
                         WHERE picking.sale_id = ANY(%(orders)s) AND type.code = 'outgoing' AND picking.state = 'done'
                         GROUP BY picking.sale_id) first ON first.sale_id = so.id
                """,
                orders=order_ids,
            )
        )
        return self.env.cr.fetchone()[0] or 0.0

    def _compute_figures(self):
        for dashboard in self:
            tiles = dashboard._tiles()
            counts = {}
            for name, tile in tiles.items():
                counts[name] = self.env[tile.model].with_company(dashboard.company_id).search_count(tile.domain)
                dashboard[tile.field] = counts[name]
            dashboard.period_days = DASHBOARD_DAYS
            dashboard.fill_rate = dashboard._rate(
                counts["shipped_lines"] - counts["short_lines"], counts["shipped_lines"]
            )
            dashboard.split_rate = dashboard._rate(counts["split_orders"], counts["shipped_orders"])
            dashboard.return_rate = dashboard._rate(counts["returns"], counts["deliveries"])
            shipped = self.env["sale.order"].search(tiles["shipped_orders"].domain)
            dashboard.hours_to_ship = dashboard._hours_to_ship(shipped.ids)
            dashboard.orders_today_breakdown = dashboard._orders_today_breakdown(tiles["orders_today"].domain)
            dashboard.revenue_today, dashboard.revenue_today_breakdown = dashboard._revenue_today(
                tiles["revenue_today"].domain
            )

    @staticmethod
    def _rate(part, whole):
        return round(100.0 * part / whole, 1) if whole else 0.0

    def _orders_today_breakdown(self, domain):
        groups = self.env["sale.order"].read_group(domain, ["team_id"], ["team_id", "oms_state"], lazy=False)
        if not groups:
            return Markup("<p>%s</p>") % self.env._("No order today yet.")
        states = dict(self.env["sale.order"]._fields["oms_state"]._description_selection(self.env))
        rows = Markup().join(
            Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
            % (
                group["team_id"] and group["team_id"][1] or self.env._("No channel"),
                states.get(group["oms_state"], ""),
                group["__count"],
            )
            for group in groups
        )
        return Markup(
            "<table class='table table-sm'><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th></tr>%s</table>"
        ) % (
            self.env._("Channel"),
            self.env._("Status"),
            self.env._("Orders"),
            rows,
        )

    def _revenue_today(self, domain):
        """(total in the company currency, table per order currency) of the untaxed revenue of today's orders."""
        company_currency = self.company_id.currency_id
        per_currency = {}
        total = 0.0
        for order in self.env["sale.order"].search(domain):
            amount = order.currency_id._convert(
                order.amount_untaxed, company_currency, self.company_id, order.date_order
            )
            original, converted = per_currency.get(order.currency_id, (0.0, 0.0))
            per_currency[order.currency_id] = (original + order.amount_untaxed, converted + amount)
            total += amount
        if not per_currency:
            return 0.0, Markup("<p>%s</p>") % self.env._("No order confirmed today yet.")
        rows = Markup().join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
            % (currency.name, currency.format(original), company_currency.format(converted))
            for currency, (original, converted) in sorted(per_currency.items(), key=lambda item: item[0].name)
        )
        table = Markup(
            "<table class='table table-sm'><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr>%s</table>"
        ) % (
            self.env._("Currency"),
            self.env._("Revenue"),
            company_currency.name,
            rows,
        )
        return company_currency.round(total), table

    def action_open_tile(self):
        """The list behind the tile named in the context ("tile"): the same domain the tile counts."""
        self.ensure_one()
        return self._tile_action(self.env.context["tile"])

    def _tile_action(self, name):
        tile = self._tiles()[name]
        view_mode = "list,form"
        if tile.model == "sale.order":
            view_mode = "list,pivot,graph,form"
        return {
            "type": "ir.actions.act_window",
            "name": tile.title,
            "res_model": tile.model,
            "view_mode": view_mode,
            "domain": tile.domain,
            "context": {**tile.context, "create": False},
        }
