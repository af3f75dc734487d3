from odoo import fields, models, tools
from odoo.tools import SQL


class OmsStockPosition(models.Model):
    """Stock of each product in each warehouse, and what of it can still be promised to customers.

    A SQL view, one row per product and warehouse that has stock (a quant), an open receipt, a reordering rule or
    (see `_cart_hold_query`) units in customers' carts. Every measure is one grouped query over its table, so
    thousands of products open as fast as a few.
    """

    _name = "oms.stock.position"
    _description = "Stock Position"
    _auto = False
    _order = "product_id, warehouse_id"
    _rec_name = "product_id"
    # Pending ORM writes to these fields are flushed before the view is read.
    _depends = {
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id", "is_storable"],
        "stock.location": ["usage", "warehouse_id"],
        "stock.warehouse": ["company_id"],
        "stock.quant": ["product_id", "location_id", "quantity", "reserved_quantity"],
        "stock.move": ["product_id", "location_id", "location_dest_id", "product_qty", "date", "state"],
        "stock.move.line": ["product_id", "location_id", "location_dest_id", "quantity_product_uom", "date", "state"],
        "stock.warehouse.orderpoint": ["product_id", "warehouse_id", "product_min_qty", "active"],
    }

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    on_hand = fields.Float(digits="Product Unit of Measure", readonly=True)
    reserved = fields.Float(digits="Product Unit of Measure", readonly=True, help="On hand but reserved for transfers.")
    free = fields.Float(digits="Product Unit of Measure", readonly=True, help="On hand less reserved.")
    cart_hold = fields.Float(
        "In Open Carts",
        digits="Product Unit of Measure",
        readonly=True,
        help="Units held in customers' open carts on the sales channels.",
    )
    available_to_promise = fields.Float(
        "Available to Promise",
        digits="Product Unit of Measure",
        readonly=True,
        help="On hand less reserved less held in open carts.",
    )
    incoming_qty = fields.Float(
        "Incoming", digits="Product Unit of Measure", readonly=True, help="Units of open receipts into the warehouse."
    )
    incoming_date = fields.Datetime("Next Receipt", readonly=True, help="Scheduled date of the earliest open receipt.")
    demand_30d = fields.Float(
        "Shipped (30 days)",
        digits="Product Unit of Measure",
        readonly=True,
        help="Units delivered to customers from the warehouse over the last 30 days.",
    )
    # Neither a sum nor an average of days of cover means anything across rows.
    days_of_cover = fields.Float(
        "Days of Cover",
        digits=(16, 1),
        aggregator=None,
        readonly=True,
        help="Days the available quantity lasts at the pace of the last 30 days; empty without deliveries.",
    )
    reorder_min = fields.Float(
        "Reorder Point",
        digits="Product Unit of Measure",
        readonly=True,
        help="Minimum quantity of the warehouse's reordering rules.",
    )
    below_reorder = fields.Boolean("Below Reorder Point", readonly=True)
    out_of_stock = fields.Boolean("Out of Stock", readonly=True)

    def init(self):
        # Odoo has no index on the date of move lines; without it every read scans all the done lines ever.
        tools.create_index(
            self.env.cr,
            "oms_stock_move_line_done_date_index",
            "stock_move_line",
            ["date"],
            where="state = 'done'",
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    def _query(self):
        """One row per storable product and warehouse that has stock, incoming units, a reordering rule or units in
        carts; its id is made of the product's and the warehouse's."""
        return SQL(
            """
            WITH %(inputs)s,
                 position AS (%(position)s)
            SELECT position.product_id::bigint * 100000 + position.warehouse_id AS id,
                   position.product_id,
                   product.product_tmpl_id,
                   template.categ_id,
                   position.warehouse_id,
                   warehouse.company_id,
                   position.on_hand,
                   position.reserved,
                   position.on_hand - position.reserved AS free,
                   position.cart_hold,
                   position.available_to_promise,
                   position.incoming_qty,
                   position.incoming_date,
                   position.demand_30d,
                   -- A negative available quantity covers no day at all.
                   CASE WHEN position.demand_30d > 0
                        THEN GREATEST(position.available_to_promise, 0) / (position.demand_30d / 30.0)
                   END AS days_of_cover,
                   COALESCE(position.reorder_min, 0) AS reorder_min,
                   COALESCE(position.available_to_promise < position.reorder_min, false) AS below_reorder,
                   position.available_to_promise <= 0 AS out_of_stock
              FROM position
              JOIN product_product product ON product.id = position.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN stock_warehouse warehouse ON warehouse.id = position.warehouse_id
             WHERE template.is_storable
            """,
            inputs=self._input_queries(),
            position=self._position_query(),
        )

    def _input_queries(self):
        """The common table expressions `_position_query` reads: one per source of figures, and position_key, the
        (product_id, warehouse_id) pairs any of them names."""
        return SQL(
            """
                 stock AS (%(stock)s),
                 incoming AS (%(incoming)s),
                 demand AS (%(demand)s),
                 reorder AS (%(reorder)s),
                 cart_hold AS (
                     SELECT hold.product_id, hold.warehouse_id, SUM(hold.quantity) AS quantity
                       FROM (%(cart_hold)s) hold
                      GROUP BY hold.product_id, hold.warehouse_id
                 ),
                 position_key AS (
                     SELECT product_id, warehouse_id FROM stock
                      UNION SELECT product_id, warehouse_id FROM incoming
                      UNION SELECT product_id, warehouse_id FROM reorder
                      UNION SELECT product_id, warehouse_id FROM cart_hold
                 )
            """,
            stock=self._stock_query(),
            incoming=self._incoming_query(),
            demand=self._demand_query(),
            reorder=self._reorder_query(),
            cart_hold=self._cart_hold_query(),
        )

    def _position_query(self):
        """The quantities of each position_key: what is on hand, reserved, held in carts, available to promise,
        incoming, sold over 30 days, and the reorder point."""
        return SQL(
            """
            SELECT position_key.product_id,
                   position_key.warehouse_id,
                   COALESCE(stock.on_hand, 0) AS on_hand,
                   COALESCE(stock.reserved, 0) AS reserved,
                   COALESCE(cart_hold.quantity, 0) AS cart_hold,
                   COALESCE(stock.on_hand, 0) - COALESCE(stock.reserved, 0)
                       - COALESCE(cart_hold.quantity, 0) AS available_to_promise,
                   COALESCE(incoming.quantity, 0) AS incoming_qty,
                   incoming.date AS incoming_date,
                   COALESCE(demand.quantity, 0) AS demand_30d,
                   reorder.min_qty AS reorder_min
              FROM position_key
              LEFT JOIN stock USING (product_id, warehouse_id)
              LEFT JOIN incoming USING (product_id, warehouse_id)
              LEFT JOIN demand USING (product_id, warehouse_id)
              LEFT JOIN reorder USING (product_id, warehouse_id)
              LEFT JOIN cart_hold USING (product_id, warehouse_id)
            """
        )

    def _stock_query(self):
        """(product_id, warehouse_id, on_hand, reserved) of the quants in the warehouses' internal locations."""
        return SQL(
            """
            SELECT quant.product_id, location.warehouse_id,
                   SUM(quant.quantity) AS on_hand, SUM(quant.reserved_quantity) AS reserved
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
             WHERE location.usage = 'internal' AND location.warehouse_id IS NOT NULL
             GROUP BY quant.product_id, location.warehouse_id
            """
        )

    def _incoming_query(self):
        """(product_id, warehouse_id, quantity, date) of the open moves into a warehouse from outside it.

        Receipts, and transfers from another warehouse; moves inside the warehouse (input to stock) would count the
        same units twice. Draft moves are no promise yet, as in Odoo's own incoming quantity.
        """
        return SQL(
            """
            SELECT move.product_id, destination.warehouse_id,
                   SUM(move.product_qty) AS quantity, MIN(move.date) AS date
              FROM stock_move move
              JOIN stock_location destination ON destination.id = move.location_dest_id
              JOIN stock_location source ON source.id = move.location_id
             WHERE move.state IN ('waiting', 'confirmed', 'partially_available', 'assigned')
               AND destination.usage = 'internal' AND destination.warehouse_id IS NOT NULL
               AND (source.usage != 'internal' OR source.warehouse_id IS DISTINCT FROM destination.warehouse_id)
             GROUP BY move.product_id, destination.warehouse_id
            """
        )

    def _demand_query(self):
        """(product_id, warehouse_id, quantity) delivered to customers from the warehouse over the last 30 days.

        Counted on the done move lines: a move validated short without backorder keeps its larger demand.
        """
        return SQL(
            """
            SELECT line.product_id, source.warehouse_id, SUM(line.quantity_product_uom) AS quantity
              FROM stock_move_line line
              JOIN stock_location source ON source.id = line.location_id
              JOIN stock_location destination ON destination.id = line.location_dest_id
             WHERE line.state = 'done'
               AND line.date >= (NOW() AT TIME ZONE 'UTC') - INTERVAL '30 days'
               AND source.usage = 'internal' AND source.warehouse_id IS NOT NULL
               AND destination.usage = 'customer'
             GROUP BY line.product_id, source.warehouse_id
            """
        )

    def _reorder_query(self):
        """(product_id, warehouse_id, min_qty) of the warehouses' active reordering rules."""
        return SQL(
            """
            SELECT orderpoint.product_id, orderpoint.warehouse_id, SUM(orderpoint.product_min_qty) AS min_qty
              FROM stock_warehouse_orderpoint orderpoint
             WHERE orderpoint.active
             GROUP BY orderpoint.product_id, orderpoint.warehouse_id
            """
        )

    def _cart_hold_query(self):
        """(product_id, warehouse_id, quantity) rows of units held in customers' carts, summed per product and
        warehouse. None here: the sales channels addon, which keeps the carts, overrides it."""
        return SQL("SELECT NULL::int AS product_id, NULL::int AS warehouse_id, 0::numeric AS quantity WHERE false")
