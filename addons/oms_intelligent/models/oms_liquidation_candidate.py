from odoo import fields, models, tools
from odoo.tools import SQL


class OmsLiquidationCandidate(models.Model):
    """Stock that sells too slowly for what is on hand: no sale for the company's slow-mover days (and held at least
    that long), or more days of cover than its overstock threshold at the forecast demand."""

    _name = "oms.liquidation.candidate"
    _description = "Liquidation Candidate"
    _auto = False
    _order = "stock_value desc, id"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    qty_on_hand = fields.Float("On Hand", digits="Product Unit of Measure", readonly=True)
    stock_value = fields.Monetary(currency_field="currency_id", readonly=True)
    last_sale_date = fields.Date("Last Sale", readonly=True)
    days_without_sale = fields.Integer("Days without Sale", readonly=True)
    daily_demand = fields.Float(
        "Demand per Day",
        digits="Product Unit of Measure",
        readonly=True,
        help="The reorder point's forecast when it has one, else the average over the slow-mover period (or since "
        "the product was first stocked or sold, when that is more recent).",
    )
    days_of_cover = fields.Float("Days of Cover", digits=(16, 0), readonly=True)
    reason = fields.Selection([("slow_mover", "No recent sale"), ("overstock", "Overstock")], readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE VIEW %(table)s AS (%(query)s)", table=SQL.identifier(self._table), query=self._query())
        )

    def _query(self):
        """The stock positions held since, or with no sale for, the company's slow-mover days, or covering more days
        than its overstock threshold."""
        return SQL(
            """
            WITH %(inputs)s,
                 measured AS (%(measured)s)
            SELECT ROW_NUMBER() OVER (ORDER BY product_id, warehouse_id) AS id,
                   product_id, product_tmpl_id, categ_id, warehouse_id, company_id, currency_id,
                   qty AS qty_on_hand,
                   qty * unit_cost AS stock_value,
                   last_sale::date AS last_sale_date,
                   (now()::date - COALESCE(last_sale, held_since)::date) AS days_without_sale,
                   daily AS daily_demand,
                   CASE WHEN daily > 0 THEN qty / daily END AS days_of_cover,
                   CASE WHEN COALESCE(last_sale, held_since) < now() - make_interval(days => oms_slow_mover_days)
                        THEN 'slow_mover' ELSE 'overstock' END AS reason
              FROM measured
             WHERE COALESCE(last_sale, held_since) < now() - make_interval(days => oms_slow_mover_days)
                OR (daily > 0 AND qty / daily > oms_overstock_cover_days)
            """,
            inputs=self._input_queries(),
            measured=self._measured_query(),
        )

    def _input_queries(self):
        """The common table expressions `_measured_query` reads: stock on hand per product and warehouse (and since
        when), its sales to customers, and the forecast demand of its reordering rules."""
        return SQL(
            """
            stock AS (
                SELECT q.product_id, loc.warehouse_id, q.company_id,
                       SUM(q.quantity) AS qty, MIN(q.in_date) AS held_since
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE loc.usage = 'internal' AND loc.warehouse_id IS NOT NULL
              GROUP BY q.product_id, loc.warehouse_id, q.company_id
                HAVING SUM(q.quantity) > 0
            ), sales AS (
                SELECT m.product_id, src.warehouse_id, m.company_id,
                       MAX(m.date) AS last_sale,
                       MIN(m.date) AS first_sale,
                       SUM(m.product_qty) FILTER (
                           WHERE m.date >= now() - make_interval(days => company.oms_slow_mover_days)
                       ) AS recent_qty
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dest ON dest.id = m.location_dest_id
                  JOIN res_company company ON company.id = m.company_id
                 WHERE m.state = 'done' AND src.usage = 'internal' AND dest.usage = 'customer'
              GROUP BY m.product_id, src.warehouse_id, m.company_id
            ), forecast AS (
                SELECT op.product_id, op.warehouse_id, SUM(op.oms_daily_demand) AS daily
                  FROM stock_warehouse_orderpoint op
                 WHERE op.active AND op.oms_reorder_mode = 'forecast' AND op.oms_computed_at IS NOT NULL
              GROUP BY op.product_id, op.warehouse_id
            )
            """
        )

    def _measured_query(self):
        """Each storable stock position with its last sale, its daily demand and its unit cost."""
        return SQL(
            """
            SELECT stock.*, product.product_tmpl_id, template.categ_id, company.currency_id,
                   company.oms_slow_mover_days, company.oms_overstock_cover_days,
                   sales.last_sale,
                   COALESCE(forecast.daily, COALESCE(sales.recent_qty, 0) / GREATEST(1, LEAST(
                       company.oms_slow_mover_days,
                       -- a product on sale for less than the period is averaged over the days it was
                       now()::date - LEAST(sales.first_sale, stock.held_since)::date))) AS daily,
                   COALESCE((product.standard_price ->> company.id::text)::numeric, 0) AS unit_cost
              FROM stock
              JOIN product_product product ON product.id = stock.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN res_company company ON company.id = stock.company_id
         LEFT JOIN sales ON sales.product_id = stock.product_id AND sales.warehouse_id = stock.warehouse_id
                        AND sales.company_id = stock.company_id
         LEFT JOIN forecast ON forecast.product_id = stock.product_id
                           AND forecast.warehouse_id = stock.warehouse_id
             WHERE template.is_storable
            """
        )
