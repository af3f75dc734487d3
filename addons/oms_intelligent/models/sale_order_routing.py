import dataclasses
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models

from ..services.routing import Line, Order, route_order


class SaleOrder(models.Model):
    """Routing: which warehouses ship the order, chosen by the routing engine (services/routing) against the stock
    of the moment, kept as a decision with every candidate's score, and set on the lines."""

    _inherit = "sale.order"

    oms_routing_strategy_id = fields.Many2one(
        "oms.routing.strategy",
        string="Routing Strategy",
        check_company=True,
        help="How this order chooses its warehouses; the company's default strategy when empty.",
    )
    oms_routing_decision_ids = fields.One2many("oms.routing.decision", "order_id", string="Routing History")
    oms_routing_decision_id = fields.Many2one(
        "oms.routing.decision", string="Routing Decision", readonly=True, copy=False, help="The decision in force."
    )
    oms_routing_summary = fields.Text(related="oms_routing_decision_id.summary", string="Routing")
    oms_routing_candidate_ids = fields.One2many(
        related="oms_routing_decision_id.candidate_ids", string="Candidate Warehouses"
    )
    oms_routing_line_ids = fields.One2many(related="oms_routing_decision_id.line_ids", string="Assignments")

    def action_oms_route(self):
        """Route (or re-route) by hand; a confirmed order gets new pickings for what is not shipped yet."""
        self._oms_route(reroute=True)
        return True

    def _oms_strategy(self, defaults=None):
        """The order's strategy, else its company's default (`defaults` caches those per company for a batch)."""
        self.ensure_one()
        # Every salesperson's confirmation routes, OMS user or not: strategies and decisions are read as system.
        if self.oms_routing_strategy_id:
            return self.oms_routing_strategy_id.sudo()
        if defaults is None:
            defaults = {}
        if self.company_id not in defaults:
            defaults[self.company_id] = self.env["oms.routing.strategy"].sudo()._default_for(self.company_id)
        return defaults[self.company_id]

    def _oms_routable(self, defaults=None):
        routable = self.filtered(
            lambda order: order.state in ("draft", "sent", "sale")
            and not order.locked
            and order._oms_strategy(defaults)
            and not any(picking.state == "done" for picking in order.picking_ids)
        )
        # Keep the caller's prefetch set: an order confirmed within a batch then reads its lines, partners and
        # moves with the whole batch, as Odoo's own confirmation does, instead of once per order.
        return routable.with_prefetch(self._prefetch_ids)

    def _oms_route(self, reroute=False):
        """Choose the warehouses of these orders, record why, and set them on the lines.

        The stock of the candidate warehouses is locked first, so that two workers routing orders that compete
        for the last units never promise them twice: the second waits for the first to commit, then its
        transaction fails on the changed stock and is run again (as Odoo's workers do), seeing the reservation.
        """
        defaults = {}
        orders = self._oms_routable(defaults)
        if not reroute:
            orders = orders.filtered(lambda order: order.state != "sale").with_prefetch(self._prefetch_ids)
        if not orders:
            return
        confirmed = orders.filtered(lambda order: order.state == "sale")
        confirmed._oms_release_pending_moves()
        for company, company_orders in orders.grouped("company_id").items():
            company_orders._oms_route_in_company(company, defaults)
        confirmed.order_line._action_launch_stock_rule()

    def _oms_route_in_company(self, company, defaults):
        """Route these orders of one company one after the other, each against the stock the previous ones left."""
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", company.id)], order="id")
        products = self.order_line.product_id.filtered("is_storable")
        atp = self._oms_lock_available_to_promise(products, warehouses)
        incoming = self._oms_incoming_dates(self._oms_short_products(atp), warehouses)
        # Today's load only matters against a daily capacity: without one, spare its query.
        loads = warehouses._oms_loads_today() if any(warehouses.mapped("oms_daily_capacity")) else {}
        sites = [warehouse._oms_candidate() for warehouse in warehouses]
        # Priority special orders are routed first, so they get the stock when it runs short.
        for order in self.sorted(key=lambda order: not order._oms_is_priority()):
            strategy = order._oms_strategy(defaults)
            plan = route_order(
                order._oms_routing_input(),
                [order._oms_candidate_stock(site, atp, incoming, loads) for site in sites],
                strategy._oms_service_strategy(),
                strategy._oms_service_rates(),
            )
            order._oms_apply_decision(plan, strategy)
            # The next orders of the batch must not count on what this one took.
            for assignment in plan.assignments:
                atp[assignment.product_id, assignment.warehouse_id] -= assignment.quantity
            for warehouse_id in plan.chosen_warehouse_ids:
                loads[warehouse_id] = loads.get(warehouse_id, 0) + 1

    def _oms_routing_input(self):
        self.ensure_one()
        partner = self.partner_shipping_id
        lines = tuple(
            Line(
                line_id=line.id,
                product_id=line.product_id.id,
                quantity=line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id),
                storable=line.product_id.is_storable,
                label=line.product_id.default_code or line.product_id.name,
            )
            for line in self.order_line
            if line.product_id and not line.display_type
        )
        return Order(
            order_id=self.id,
            company_id=self.company_id.id,
            destination=partner._oms_location(),
            lines=lines,
        )

    def _oms_candidate_stock(self, site, atp, incoming, loads):
        """The warehouse `site` (its static Candidate) with what it holds of this order's products today."""
        products = self.order_line.product_id.ids
        warehouse_id = site.warehouse_id
        return dataclasses.replace(
            site,
            atp={product_id: atp.get((product_id, warehouse_id), 0.0) for product_id in products},
            incoming={
                product_id: incoming[product_id, warehouse_id]
                for product_id in products
                if (product_id, warehouse_id) in incoming
            },
            capacity_left=None if site.capacity_left is None else site.capacity_left - loads.get(warehouse_id, 0),
        )

    # ------------------------------------------------------------------ applying the engine's plan

    def _oms_apply_decision(self, plan, strategy):
        """Keep the engine's `plan` (its Decision) as the order's decision in force, ship the order and its lines
        from the warehouses it chose, and say so in the chatter."""
        self.ensure_one()
        rerouted = bool(self.oms_routing_decision_id)
        decision = self.env["oms.routing.decision"].sudo()._oms_create_from_plan(self, plan, strategy)
        main_warehouse_id = plan.chosen_warehouse_ids[0] if plan.chosen_warehouse_ids else False
        order_vals = {"oms_routing_decision_id": decision.id}
        if main_warehouse_id and self.state != "sale" and self.warehouse_id.id != main_warehouse_id:
            order_vals["warehouse_id"] = main_warehouse_id
        # One write, untracked (neither field is tracked: the note below tells the story), before the lines: their
        # warehouses follow the order's, and the split lines take theirs after.
        self.with_context(mail_notrack=True, skip_procurement=True).write(order_vals)
        self._oms_set_line_warehouses(plan, main_warehouse_id)
        title = self.env._("Re-routed") if rerouted else self.env._("Routed")
        fallback = Markup("<br/>%s") % plan.fallback if plan.fallback else ""
        # A logged note, not a message: it tells the story without notifying followers on every confirmation.
        self._message_log(body=Markup("<b>%s</b>: %s%s") % (title, plan.summary, fallback))

    def _oms_set_line_warehouses(self, plan, main_warehouse_id):
        """Set on each line the warehouse the plan ships it from; a backordered line waits at the main one."""
        by_line = defaultdict(list)
        for assignment in plan.assignments:
            by_line[assignment.line_id].append(assignment)
        backordered = defaultdict(float)
        for backorder in plan.backorders:
            backordered[backorder.line_id] += backorder.quantity
        for line in self.order_line:
            assignments = sorted(by_line.get(line.id, []), key=lambda assignment: -assignment.quantity)
            if assignments:
                self._oms_split_line(line, assignments, backordered.get(line.id, 0.0))
            elif line.id in backordered and main_warehouse_id:
                line.with_context(skip_procurement=True).warehouse_id = main_warehouse_id

    def _oms_split_line(self, line, assignments, backorder_qty):
        """Ship `line` from its assignments (largest first): the line keeps the first (and what is backordered),
        a copy at the same price ships each of the others."""
        line = line.with_context(skip_procurement=True)
        first, *others = assignments
        line_vals = {"warehouse_id": first.warehouse_id} if line.warehouse_id.id != first.warehouse_id else {}
        if others:
            line_vals["product_uom_qty"] = line.product_id.uom_id._compute_quantity(
                first.quantity + backorder_qty, line.product_uom
            )
            # Splitting ships the same sale: Odoo would reprice a line whose quantity changes from the pricelist,
            # losing the price the order was taken at (a channel's, a salesperson's).
            line_vals["price_unit"] = line.price_unit
        if line_vals:
            line.write(line_vals)
        for other in others:
            part = line.copy(
                {
                    "order_id": self.id,
                    "product_uom_qty": line.product_id.uom_id._compute_quantity(other.quantity, line.product_uom),
                    "price_unit": line.price_unit,
                    "discount": line.discount,
                }
            )
            # Written after the copy: creating the line recomputes its warehouse from the order's.
            part.warehouse_id = other.warehouse_id

    # ------------------------------------------------------------------ stock read for routing and allocation

    def _oms_release_pending_moves(self):
        """Cancel the deliveries not done yet of re-routed orders, so their reservations return to the stock."""
        pending = self.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
        pending.move_ids._action_cancel()

    @api.model
    def _oms_lock_available_to_promise(self, products, warehouses):
        """{(product id, warehouse id): on hand less reserved} over the warehouses' internal locations, with their
        quants locked until the transaction ends (one query does both)."""
        atp = defaultdict(float)
        if not products or not warehouses:
            return atp
        self.env["stock.quant"].flush_model()
        self.env.cr.execute(
            """
            SELECT quant.product_id, location.warehouse_id, quant.quantity - quant.reserved_quantity
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
             WHERE location.usage = 'internal' AND location.warehouse_id = ANY(%s) AND quant.product_id = ANY(%s)
             ORDER BY quant.id
               FOR UPDATE OF quant
            """,
            (warehouses.ids, products.ids),
        )
        for product_id, warehouse_id, quantity in self.env.cr.fetchall():
            atp[product_id, warehouse_id] += quantity
        return atp

    def _oms_short_products(self, atp):
        """Storable products these orders ask more of than all warehouses together have: only their incoming
        dates matter (for backorders), which spares the moves query in the common case."""
        demand = defaultdict(float)
        for line in self.order_line.filtered(lambda line: line.product_id.is_storable):
            demand[line.product_id] += line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
        available = defaultdict(float)
        for (product_id, _warehouse_id), quantity in atp.items():
            available[product_id] += max(quantity, 0.0)
        return self.env["product.product"].union(
            *(product for product, quantity in demand.items() if quantity > available[product.id])
        )

    @api.model
    def _oms_incoming_dates(self, products, warehouses):
        """{(product id, warehouse id): earliest date of an open receipt}."""
        if not products or not warehouses:
            return {}
        self.env["stock.move"].flush_model()
        self.env.cr.execute(
            """
            SELECT move.product_id, location.warehouse_id, min(move.date)::date
              FROM stock_move move
              JOIN stock_location location ON location.id = move.location_dest_id
              JOIN stock_location source ON source.id = move.location_id
             WHERE move.state NOT IN ('done', 'cancel', 'draft') AND location.usage = 'internal'
               AND source.usage NOT IN ('internal', 'transit') AND location.warehouse_id = ANY(%s)
               AND move.product_id = ANY(%s)
             GROUP BY move.product_id, location.warehouse_id
            """,
            (warehouses.ids, products.ids),
        )
        return {(product_id, warehouse_id): day for product_id, warehouse_id, day in self.env.cr.fetchall()}
