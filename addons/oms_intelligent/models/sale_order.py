import dataclasses
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..services.allocation import allocate_greedy, allocate_optimal, shipping_costs
from ..services.lifecycle import STATUSES, OrderFacts, order_status, payment_missing
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

    # ------------------------------------------------------------------ lifecycle fields

    oms_state = fields.Selection(
        list(STATUSES),
        "OMS Status",
        compute="_compute_oms_state",
        store=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_oms_state",
        help="Where the order is, from its reception to its closing; read from the order, its holds, deliveries "
        "and invoices.",
    )
    oms_customer_type = fields.Selection(
        [("b2c", "Consumer"), ("b2b", "Business")],
        "Customer Type",
        compute="_compute_oms_customer_type",
        store=True,
    )
    oms_workflow_id = fields.Many2one(
        "oms.order.workflow",
        "Workflow",
        compute="_compute_oms_workflow_id",
        store=True,
        readonly=False,
        check_company=True,
        tracking=True,
        help="What happens by itself once the policies pass: confirmation or quotation, and invoicing.",
    )
    oms_paid_on_channel = fields.Boolean(
        "Paid on the Channel", copy=False, tracking=True, help="The sales channel collected the payment."
    )
    oms_validated = fields.Boolean(
        "Policies Passed", copy=False, readonly=True, help="The order went through the policies without a hold."
    )
    oms_hold_ids = fields.One2many("oms.order.hold", "order_id", string="Holds")
    oms_on_hold = fields.Boolean("On Hold", compute="_compute_oms_hold", store=True, index=True)
    oms_hold_since = fields.Datetime("On Hold Since", compute="_compute_oms_hold", store=True)
    oms_hold_reasons = fields.Text("Hold Reasons", compute="_compute_oms_hold", store=True)
    oms_alert = fields.Boolean(
        "Needs Attention",
        compute="_compute_oms_alert",
        search="_search_oms_alert",
        help="On hold for longer than the company allows, or past its promised date and not shipped.",
    )

    def action_confirm(self):
        """Confirm the orders no policy holds, routed first (the lines' warehouses decide where the procurement
        creates the pickings); held orders stay quotations with their reasons."""
        if not self.env.context.get("oms_policies_checked"):
            self._oms_check_policies()
        held = self.filtered("oms_on_hold")
        to_confirm = (self - held).with_prefetch(self._prefetch_ids)
        if to_confirm:
            to_confirm._oms_route()
            super(SaleOrder, to_confirm).action_confirm()
        if held:
            return held._oms_held_notification()
        return True

    def action_oms_route(self):
        """Route (or re-route) by hand; a confirmed order gets new pickings for what is not shipped yet."""
        self._oms_route(reroute=True)
        return True

    # ------------------------------------------------------------------ lifecycle

    def _group_expand_oms_state(self, states, domain):
        return [key for key, _label in STATUSES]

    @api.depends("partner_id.commercial_partner_id.is_company")
    def _compute_oms_customer_type(self):
        for order in self:
            order.oms_customer_type = "b2b" if order.partner_id.commercial_partner_id.is_company else "b2c"

    @api.depends("company_id", "oms_customer_type")
    def _compute_oms_workflow_id(self):
        workflows = self.env["oms.order.workflow"].search(
            [("company_id", "in", self.company_id.ids), ("is_default", "=", True)]
        )
        defaults = {(workflow.company_id, workflow.customer_type): workflow for workflow in workflows}
        for order in self:
            order.oms_workflow_id = order._oms_workflow(defaults)

    def _oms_workflow(self, defaults):
        """The workflow of this order: `defaults` holds each company's default per customer type."""
        self.ensure_one()
        return defaults.get((self.company_id, self.oms_customer_type), self.env["oms.order.workflow"])

    @api.depends("oms_hold_ids.state", "oms_hold_ids.reason")
    def _compute_oms_hold(self):
        for order in self:
            active = order.oms_hold_ids.filtered(lambda hold: hold.state == "active")
            order.oms_on_hold = bool(active)
            order.oms_hold_since = min(active.mapped("create_date"), default=False)
            order.oms_hold_reasons = "\n".join(active.mapped("reason")) or False

    @api.depends(
        "state",
        "oms_on_hold",
        "oms_validated",
        "invoice_status",
        "picking_ids.state",
        "picking_ids.printed",
        "picking_ids.oms_delivered_date",
        "picking_ids.move_ids.picked",
        "order_line.invoice_lines.move_id.payment_state",
    )
    def _compute_oms_state(self):
        for order in self:
            order.oms_state = order_status(order._oms_status_facts())

    def _oms_status_facts(self):
        self.ensure_one()
        pickings = self.picking_ids
        deliveries = pickings.filtered(lambda picking: picking.picking_type_code == "outgoing")
        returns = pickings.filtered(lambda picking: picking.picking_type_code == "incoming" and picking.return_id)
        done_deliveries = deliveries.filtered(lambda picking: picking.state == "done")
        invoices = self.order_line.invoice_lines.move_id.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )
        return OrderFacts(
            state=self.state,
            on_hold=self.oms_on_hold,
            validated=self.oms_validated,
            deliveries=tuple(deliveries.mapped("state")),
            started=any(picking._oms_started() for picking in deliveries),
            delivered=all(done_deliveries.mapped("oms_delivered_date")),
            returned=any(picking.state == "done" for picking in returns),
            invoiced_and_paid=self.invoice_status == "invoiced"
            and bool(invoices)
            and all(invoice.payment_state in ("paid", "in_payment", "reversed") for invoice in invoices),
        )

    def _compute_oms_alert(self):
        alerting = self.filtered_domain(self._oms_alert_domain())
        for order in self:
            order.oms_alert = order in alerting

    def _search_oms_alert(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search orders needing attention with = or != and True or False."))
        domain = self._oms_alert_domain()
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.model
    def _oms_alert_domain(self):
        """On hold for longer than the company allows, or promised for a date past and not shipped yet."""
        hours = self.env.company.oms_hold_alert_hours
        now = fields.Datetime.now()
        return expression.OR(
            [
                [("oms_on_hold", "=", True), ("oms_hold_since", "<", now - timedelta(hours=hours))],
                [
                    ("state", "=", "sale"),
                    ("oms_state", "in", ("routed", "in_fulfillment")),
                    ("commitment_date", "<", now),
                ],
            ]
        )

    def _oms_company_amount(self):
        """The order's total in its company's currency, at the order date."""
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total, self.company_id.currency_id, self.company_id, self.date_order or fields.Date.today()
        )

    def _oms_check_policies(self):
        """Put the quotations through their companies' policies: hold (with every reason), tag or notify; release
        by themselves the holds whose condition cleared. Quotations without a hold are validated."""
        quotations = self.filtered(lambda order: order.state in ("draft", "sent") and not order.locked)
        if not quotations:
            return
        policies = self.env["oms.order.policy"].sudo().search([("company_id", "in", quotations.company_id.ids)])
        Hold = self.env["oms.order.hold"].sudo()
        met = defaultdict(dict)  # order -> {policy: reason}
        for policy in policies:
            for order, reason in policy._reasons(quotations).items():
                met[order][policy] = reason
        new_holds = []
        for order in quotations:
            active = order.oms_hold_ids.filtered(lambda hold: hold.state == "active")
            held_by = {hold.policy_id: hold for hold in active if hold.policy_id}
            # A person released this policy's hold: the decision stands for the rest of the order's life.
            waived = order.oms_hold_ids.filtered(
                lambda hold: hold.state == "released" and not hold.released_automatically
            ).policy_id
            for policy, reason in met.get(order, {}).items():
                if policy in waived:
                    continue
                if policy.action in ("hold", "approval"):
                    if policy in held_by:
                        held_by[policy].sudo().reason = reason  # still met, perhaps for other figures
                    else:
                        new_holds.append(order._oms_hold_values(policy, reason))
                elif policy.action == "tag":
                    order.tag_ids = [fields.Command.link(tag.id) for tag in policy.tag_ids]
                else:
                    order._oms_notify_team(policy, reason)
            still_met = met.get(order, {})
            cleared = active.filtered(
                lambda hold, still_met=still_met: hold.policy_id
                and hold.auto_release
                and hold.policy_id not in still_met
            )
            cleared._release(self.env._("the condition cleared"), automatic=True)
        created = Hold.create(new_holds)
        for order, holds in created.grouped("order_id").items():
            order._message_log(
                body=Markup("<b>%s</b><ul>%s</ul>")
                % (
                    self.env._("On hold"),
                    Markup().join(Markup("<li>%s</li>") % reason for reason in holds.mapped("reason")),
                )
            )
        quotations.filtered(lambda order: not order.oms_on_hold and not order.oms_validated).oms_validated = True

    def _oms_hold_values(self, policy, reason):
        return {
            "order_id": self.id,
            "policy_id": policy.id,
            "kind": policy.check,
            "reason": reason,
            "approval_group_id": policy.approval_group_id.id if policy.action == "approval" else False,
            "auto_release": policy.auto_release,
        }

    def _oms_notify_team(self, policy, reason):
        """One activity per order and policy, for the team's leader (else the salesperson)."""
        self.ensure_one()
        summary = policy.name[:80]
        if self.activity_ids.filtered(lambda activity: activity.summary == summary):
            return
        user = policy.team_id.user_id or self.user_id or self.env.user
        self.sudo().activity_schedule("mail.mail_activity_data_todo", summary=summary, note=reason, user_id=user.id)

    def action_oms_validate(self):
        """Run the policies and, where nothing holds, the workflow (confirm or quote, invoice)."""
        self._oms_process()
        held = self.filtered("oms_on_hold")
        if held:
            return held._oms_held_notification()
        return True

    def _oms_held_notification(self):
        """Tell the user which orders a policy held and why, then show them again."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("On hold"),
                "message": "\n".join(f"{order.name}: {order.oms_hold_reasons}" for order in self),
                "type": "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_oms_hold(self):
        """Hold by hand: a wizard asks for the reason."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hold Orders"),
            "res_model": "oms.hold.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "sale.order", "active_ids": self.ids},
        }

    def action_oms_release(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Held Orders"),
            "res_model": "oms.hold.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "sale.order", "active_ids": self.ids},
        }

    def _oms_process(self):
        """The automatic lifecycle of incoming orders: policies, then the workflow of those nothing holds."""
        self._oms_check_policies()
        self.filtered(lambda order: not order.oms_on_hold)._oms_run_workflow()

    def _oms_run_workflow(self):
        """Move each order not on hold one step on by its workflow: quote or confirm, then invoice when due.

        The orders go together through Odoo's multi-record paths (one confirmation, one invoicing, one posting and
        one payment registration for all of them), which is what makes a batch cheaper than the same orders one by
        one."""
        orders = self.filtered(lambda order: not order.oms_on_hold and order.oms_workflow_id)
        for order in orders.filtered(lambda order: order.state == "draft" and order.oms_workflow_id.send_quotation):
            order._oms_send_quotation()
        to_confirm = orders.filtered(
            lambda order: order.state in ("draft", "sent")
            and order.oms_workflow_id.auto_confirm
            and not order.oms_workflow_id.send_quotation
        )
        if to_confirm:
            # The caller has just put the orders through the policies.
            to_confirm.with_context(oms_policies_checked=True).action_confirm()
        orders.filtered(
            lambda order: order.state == "sale"
            and order.oms_workflow_id.invoice_policy == "on_payment"
            and order._oms_is_paid()
        )._oms_invoice_automatically()

    def _oms_is_paid(self):
        self.ensure_one()
        return self.oms_paid_on_channel or not payment_missing(self.amount_total, self.amount_paid, False)

    def _oms_send_quotation(self):
        self.ensure_one()
        template = self._find_mail_template()
        if template:
            self.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        self.action_quotation_sent()

    def _oms_invoice_automatically(self):
        """Invoice by the workflow. What would stop an order (a missing exchange rate, no bank journal for the
        channel's payment) is checked before anything is written: then a note and an activity say so, that order
        stays as it was, and the others are invoiced."""
        invoiceable = self.browse()
        for order in self.filtered(lambda order: order.invoice_status == "to invoice"):
            try:
                order._oms_check_invoiceable()
            except UserError as error:
                order._message_log(body=self.env._("Automatic invoicing stopped: %s", error.args[0]))
                order.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Invoice by hand"),
                    note=error.args[0],
                    user_id=(order.user_id or self.env.user).id,
                )
                continue
            invoiceable |= order
        return invoiceable._oms_invoice()

    def _oms_invoice(self):
        """Post the orders' invoices, one per order in its currency; the paid ones are reconciled with their
        payment."""
        if not self:
            return self.env["account.move"]
        invoices = self._create_invoices(grouped=True, final=True)
        invoices.action_post()
        self.filtered(lambda order: order.oms_workflow_id.invoice_policy == "on_payment")._oms_reconcile_payment(
            invoices
        )
        return invoices

    def _oms_check_invoiceable(self):
        self._oms_check_exchange_rate()
        if self._oms_pays_on_channel() and not self.oms_workflow_id._payment_journal():
            raise UserError(self.env._("No bank journal to record the channel's payment of %s in.", self.name))

    def _oms_pays_on_channel(self):
        """The invoice is paid here with what the channel collected (online payments are reconciled by Odoo)."""
        return self.oms_workflow_id.invoice_policy == "on_payment" and self.oms_paid_on_channel and not self.amount_paid

    def _oms_check_exchange_rate(self):
        company = self.company_id
        if self.currency_id == company.currency_id:
            return
        has_rate = (
            self.env["res.currency.rate"]
            .sudo()
            .search_count(
                [
                    ("currency_id", "=", self.currency_id.id),
                    ("company_id", "in", (company.id, False)),
                    ("name", "<=", fields.Date.context_today(self)),
                ],
                limit=1,
            )
        )
        if not has_rate:
            raise UserError(
                self.env._(
                    "%(order)s cannot be invoiced: %(currency)s has no exchange rate for %(company)s. Add one in "
                    "Accounting > Configuration > Currencies, then invoice again.",
                    order=self.name,
                    currency=self.currency_id.name,
                    company=company.name,
                )
            )

    def _oms_reconcile_payment(self, invoices):
        """Online payments are reconciled by Odoo's payment flow; a payment the channel collected is registered
        here in the workflow's journal, one payment per invoice, all of a journal in one registration."""
        paid_on_channel = self.filtered(lambda order: order._oms_pays_on_channel())
        for journal, orders in paid_on_channel.grouped(lambda order: order.oms_workflow_id._payment_journal()).items():
            order_invoices = invoices & orders.invoice_ids
            if not order_invoices:
                continue
            values = {"journal_id": journal.id, "group_payment": False}
            if len(orders) == 1:
                values["communication"] = orders.client_order_ref or orders.name
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=order_invoices.ids
            ).create(values)._create_payments()

    @api.model
    def _cron_oms_alerts(self):
        """Give the responsible person an activity for each order needing attention (once per order)."""
        summary = self.env._("Order needs attention")
        for company in self.env["res.company"].search([]):
            orders = self.with_company(company).search(
                [("company_id", "=", company.id), ("oms_alert", "=", True)], limit=500
            )
            for order in orders:
                if order.activity_ids.filtered(lambda activity: activity.summary == summary):
                    continue
                if order.oms_on_hold:
                    note = self.env._(
                        "On hold since %(since)s: %(reasons)s",
                        since=order.oms_hold_since,
                        reasons=order.oms_hold_reasons,
                    )
                else:
                    note = self.env._("Promised for %s and not shipped yet.", order.commitment_date)
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=note,
                    user_id=(order.team_id.user_id or order.user_id or self.env.user).id,
                )

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
            self.message_post(
                body=self.env._("Batch allocation: not enough stock to ship this order complete; it waits.")
            )
            return
        lines = self.order_line.filtered(lambda line: line.product_id.type != "service")
        if lines.warehouse_id == warehouse:
            self.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).action_assign()
        else:
            self._oms_release_pending_moves()
            lines.with_context(skip_procurement=True).warehouse_id = warehouse
            self.order_line._action_launch_stock_rule()
        self.message_post(body=self.env._("Batch allocation: ships complete from %s.", warehouse.name))

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
        order_vals = {"oms_routing_decision_id": new_decision.id}
        if main_warehouse_id and self.state != "sale" and self.warehouse_id.id != main_warehouse_id:
            order_vals["warehouse_id"] = main_warehouse_id
        # One write, untracked (neither field is tracked: the note below tells the story), before the lines: their
        # warehouses follow the order's, and the split lines below take theirs after.
        self.with_context(mail_notrack=True, **context).write(order_vals)
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
                # Splitting ships the same sale: Odoo would reprice a line whose quantity changes from the pricelist,
                # losing the price the order was taken at (a channel's, a salesperson's).
                line_vals["price_unit"] = line.price_unit
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
        title = self.env._("Re-routed") if previous else self.env._("Routed")
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
                    body=self.env._(
                        "Special order %(code)s (%(type)s).", code=vals["oms_special_code"], type=special_type.name
                    )
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
