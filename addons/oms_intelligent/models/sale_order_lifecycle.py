from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..services.lifecycle import STATUSES, OrderFacts, order_status, payment_missing


class SaleOrder(models.Model):
    """The order's path from reception to closing: its status, its workflow (quote or confirm, then invoice) and
    the alerts of orders needing attention. Holds are in sale_order_holds.py, invoicing in sale_order_invoicing.py."""

    _inherit = "sale.order"

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

    def action_oms_validate(self):
        """Run the policies and, where nothing holds, the workflow (confirm or quote, invoice)."""
        self._oms_process()
        held = self.filtered("oms_on_hold")
        if held:
            return held._oms_held_notification()
        return True

    # ------------------------------------------------------------------ status

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

    def _oms_company_amount(self):
        """The order's total in its company's currency, at the order date."""
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total, self.company_id.currency_id, self.company_id, self.date_order or fields.Date.today()
        )

    # ------------------------------------------------------------------ workflow

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

    # ------------------------------------------------------------------ alerts

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

    @api.model
    def _cron_oms_alerts(self):
        """Give the responsible person an activity for each order needing attention (once per order)."""
        summary = self.env._("Order needs attention")
        # Every company, a handful of rows: the limit that matters is the one on their orders below.
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
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
