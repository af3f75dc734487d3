import dataclasses
from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models

from ..services.allocation import allocate_greedy, allocate_optimal, shipping_costs
from ..services.routing import Line, Order, route_order
from .oms_special_order_type import TRIGGER_PRECEDENCE

# Changes of these fields may make an order special (see _oms_tag_special).
SPECIAL_TRIGGER_FIELDS = {"oms_special_type_id", "partner_id", "oms_replaced_order_id", "order_line"}


class SaleOrder(models.Model):
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

    def action_confirm(self):
        # Route first: the lines' warehouses decide where the procurement creates the pickings.
        self._oms_route()
        return super().action_confirm()

    def action_oms_route(self):
        """Route (or re-route) by hand; a confirmed order gets new pickings for what is not shipped yet."""
        self._oms_route(reroute=True)
        return True

    # ------------------------------------------------------------------ routing

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
            warehouses = self.env["stock.warehouse"].search([("company_id", "=", company.id)], order="id")
            products = company_orders.order_line.product_id.filtered("is_storable")
            atp = self._oms_lock_available_to_promise(products, warehouses)
            incoming = self._oms_incoming_dates(company_orders._oms_short_products(atp), warehouses)
            # Today's load only matters against a daily capacity: without one, spare its query.
            loads = warehouses._oms_loads_today() if any(warehouses.mapped("oms_daily_capacity")) else {}
            sites = [warehouse._oms_candidate() for warehouse in warehouses]
            # Priority special orders are routed first, so they get the stock when it runs short.
            for order in company_orders.sorted(key=lambda order: not order._oms_is_priority()):
                strategy = order._oms_strategy(defaults)
                decision = route_order(
                    order._oms_routing_input(),
                    [order._oms_candidate_stock(site, atp, incoming, loads) for site in sites],
                    strategy._oms_service_strategy(),
                    strategy._oms_service_rates(),
                )
                order._oms_apply_decision(decision, strategy)
                # The next orders of the batch must not count on what this one took.
                for assignment in decision.assignments:
                    atp[assignment.product_id, assignment.warehouse_id] -= assignment.quantity
                for warehouse_id in decision.chosen_warehouse_ids:
                    loads[warehouse_id] = loads.get(warehouse_id, 0) + 1
        confirmed.order_line._action_launch_stock_rule()

    # ------------------------------------------------------------------ batch allocation

    @api.model
    def _oms_waiting_to_ship(self, company):
        """Confirmed orders of the company none of whose deliveries has left yet, oldest first."""
        return self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("locked", "=", False),
                ("picking_ids.state", "in", ("waiting", "confirmed", "assigned")),
            ],
            order="date_order, id",
        ).filtered(lambda order: not any(picking.state == "done" for picking in order.picking_ids))

    def _oms_allocate(self):
        """Share the stock among these orders: the most orders complete, then the cheapest shipping (an integer
        program), instead of first come, first served. Returns the allocation and the greedy one it beat."""
        company = self.company_id
        company.ensure_one()
        self.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).do_unreserve()
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", company.id)], order="id")
        products = self.order_line.product_id.filtered("is_storable")
        stock = self._oms_lock_available_to_promise(products, warehouses)
        loads = warehouses._oms_loads_today()
        inputs = [order._oms_routing_input() for order in self]
        candidates = [
            self[:1]._oms_candidate_stock(warehouse._oms_candidate(), {}, {}, loads) for warehouse in warehouses
        ]
        rates = self[:1]._oms_strategy()._oms_service_rates()
        costs = shipping_costs(inputs, candidates, rates)
        allocation = allocate_optimal(inputs, stock, costs)
        greedy = allocate_greedy(inputs, stock, costs)
        for order in self:
            warehouse = warehouses.browse(allocation.served.get(order.id))
            order._oms_ship_complete_from(warehouse)
        return allocation, greedy

    def _oms_ship_complete_from(self, warehouse):
        """Move the order's pending deliveries to the warehouse the allocation gave it, or note that it waits."""
        self.ensure_one()
        if not warehouse:
            self.message_post(body=_("Batch allocation: not enough stock to ship this order complete; it waits."))
            return
        lines = self.order_line.filtered(lambda line: line.product_id.type != "service")
        if lines.warehouse_id == warehouse:
            self.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).action_assign()
        else:
            self._oms_release_pending_moves()
            lines.with_context(skip_procurement=True).warehouse_id = warehouse
            self.order_line._action_launch_stock_rule()
        self.message_post(body=_("Batch allocation: ships complete from %s.", warehouse.name))

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

    def _oms_apply_decision(self, decision, strategy):
        """Write the decision on the lines (splitting a line shipped from two warehouses) and keep it."""
        self.ensure_one()
        lines = self.order_line
        by_line = defaultdict(list)
        for assignment in decision.assignments:
            by_line[assignment.line_id].append(assignment)
        main_warehouse_id = decision.chosen_warehouse_ids[0] if decision.chosen_warehouse_ids else False
        context = {"skip_procurement": True}
        if main_warehouse_id and self.state != "sale" and self.warehouse_id.id != main_warehouse_id:
            self.with_context(**context).warehouse_id = main_warehouse_id
        backordered = {backorder.line_id for backorder in decision.backorders}
        for line in lines:
            assignments = sorted(by_line.get(line.id, []), key=lambda assignment: -assignment.quantity)
            if not assignments:
                if line.id in backordered and main_warehouse_id:
                    line.with_context(**context).warehouse_id = main_warehouse_id
                continue
            first, *others = assignments
            backorder_qty = sum(b.quantity for b in decision.backorders if b.line_id == line.id)
            line_vals = {"warehouse_id": first.warehouse_id} if line.warehouse_id.id != first.warehouse_id else {}
            if others:
                line_vals["product_uom_qty"] = line.product_id.uom_id._compute_quantity(
                    first.quantity + backorder_qty, line.product_uom
                )
            if line_vals:
                line.with_context(**context).write(line_vals)
            for other in others:
                part = line.with_context(**context).copy(
                    {
                        "order_id": self.id,
                        "product_uom_qty": line.product_id.uom_id._compute_quantity(other.quantity, line.product_uom),
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                    }
                )
                # Written after the copy: creating the line recomputes its warehouse from the order's.
                part.with_context(**context).warehouse_id = other.warehouse_id
        previous = self.oms_routing_decision_id.sudo()
        previous.current = False
        decisions = self.env["oms.routing.decision"].sudo()
        new_decision = decisions.create(
            {
                "order_id": self.id,
                "strategy_id": strategy.id,
                "summary": decision.summary,
                "fallback": decision.fallback or False,
                "shipments": decision.shipments,
                "estimated_cost": decision.estimated_cost,
                "warehouse_ids": [fields.Command.set(list(decision.chosen_warehouse_ids))],
                "candidate_ids": [
                    fields.Command.create(
                        {
                            "warehouse_id": score.warehouse_id,
                            "chosen": score.chosen,
                            "eligible": score.eligible,
                            "score": score.score,
                            "distance_km": score.distance_km or 0.0,
                            "shipping_cost": score.shipping_cost,
                            "coverage": score.coverage,
                            "reason": score.reason,
                        }
                    )
                    for score in decision.scores
                ],
                "line_ids": [
                    fields.Command.create(
                        {
                            "sale_line_id": assignment.line_id,
                            "product_id": assignment.product_id,
                            "warehouse_id": assignment.warehouse_id,
                            "quantity": assignment.quantity,
                        }
                    )
                    for assignment in decision.assignments
                ]
                + [
                    fields.Command.create(
                        {
                            "sale_line_id": backorder.line_id,
                            "product_id": backorder.product_id,
                            "quantity": backorder.quantity,
                            "backorder": True,
                            "earliest_incoming": backorder.earliest_incoming,
                        }
                    )
                    for backorder in decision.backorders
                ],
            }
        )
        self.with_context(**context).oms_routing_decision_id = new_decision
        title = _("Re-routed") if previous else _("Routed")
        fallback = Markup("<br/>%s") % decision.fallback if decision.fallback else ""
        # A logged note, not a message: it tells the story without notifying followers on every confirmation.
        self._message_log(body=Markup("<b>%s</b>: %s%s") % (title, decision.summary, fallback))

    # ------------------------------------------------------------------ special orders

    oms_special_type_id = fields.Many2one(
        "oms.special.order.type",
        string="Special Order Type",
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="VIP, replacement, gift... Set by the type's rule when none is chosen by hand.",
    )
    oms_special_code = fields.Char(
        "Special Code",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Unique code of a special order, given once by its type's sequence.",
    )
    oms_replaced_order_id = fields.Many2one(
        "sale.order",
        string="Replaces Order",
        copy=False,
        check_company=True,
        index="btree_not_null",
        help="The order this one replaces (e.g. after a return).",
    )
    oms_retention_outcome = fields.Selection(
        [("pending", "Pending"), ("retained", "Retained"), ("lost", "Lost")],
        string="Retention Outcome",
        tracking=True,
        copy=False,
    )
    oms_retention_note = fields.Text("Retention Note", copy=False)

    _sql_constraints = [
        (
            "oms_special_code_company_uniq",
            "unique(company_id, oms_special_code)",
            "The special code of an order must be unique.",
        ),
    ]

    @property
    def _rec_names_search(self):
        return [*super()._rec_names_search, "oms_special_code"]

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._oms_tag_special()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if not self.env.context.get("oms_special_tagging") and not SPECIAL_TRIGGER_FIELDS.isdisjoint(vals):
            self._oms_tag_special()
        return res

    def _oms_tag_special(self):
        """Give these orders a special type when a rule matches and none was chosen by hand, then their code (once:
        a code is never given again, even when the type changes) and the type's effects."""
        rules = {}
        for order in self.filtered(lambda order: order.state != "cancel"):
            special_type = order.oms_special_type_id or order._oms_detect_special_type(rules)
            if not special_type:
                continue
            special_type = special_type.sudo()
            vals = {} if order.oms_special_type_id else {"oms_special_type_id": special_type.id}
            if not order.oms_special_code:
                vals["oms_special_code"] = special_type._next_code()
                vals["oms_retention_outcome"] = order.oms_retention_outcome or "pending"
            if vals:
                order.with_context(oms_special_tagging=True).write(vals)
            if "oms_special_code" in vals:
                order._message_log(
                    body=_("Special order %(code)s (%(type)s).", code=vals["oms_special_code"], type=special_type.name)
                )
            if special_type.zero_price:
                order.order_line._oms_make_free()
            if special_type.priority:
                order.picking_ids.filtered(
                    lambda picking: picking.state not in ("done", "cancel") and picking.priority != "1"
                ).priority = "1"

    def _oms_detect_special_type(self, rules):
        """The first type of the order's company whose rule matches, in TRIGGER_PRECEDENCE (`rules` caches the
        company's automatic types for a batch)."""
        self.ensure_one()
        if self.company_id not in rules:
            types = (
                self.env["oms.special.order.type"]
                .sudo()
                .search([("company_id", "=", self.company_id.id), ("trigger", "!=", "manual")])
            )
            # The first of each rule by sequence wins.
            rules[self.company_id] = {special_type.trigger: special_type for special_type in reversed(types)}
        company_rules = rules[self.company_id]
        for trigger in TRIGGER_PRECEDENCE:
            if trigger in company_rules and self._oms_matches_special_rule(trigger):
                return company_rules[trigger]
        return None

    def _oms_matches_special_rule(self, trigger):
        self.ensure_one()
        if trigger == "replacement":
            return bool(self.oms_replaced_order_id)
        if trigger == "vip_customer":
            return self.partner_id.oms_vip or self.partner_id.commercial_partner_id.oms_vip
        if trigger == "gift_lines":
            # A gift order gives everything away: it has goods and every one of them is free (an order with one
            # free sample among paid lines is not a gift, since a gift type makes all its lines free).
            goods = self.order_line._oms_goods()
            return bool(goods) and all(line._oms_is_free() for line in goods)
        return False

    def _oms_is_priority(self):
        """Routed before the other orders of a batch, and its deliveries are starred for the warehouse."""
        self.ensure_one()
        return bool(self.oms_special_type_id.sudo().priority)

    def _oms_skips_payment_hold(self):
        """True when the order's special type says it ships without waiting for payment (e.g. replacements)."""
        self.ensure_one()
        return bool(self.oms_special_type_id.sudo().skip_payment_hold)
