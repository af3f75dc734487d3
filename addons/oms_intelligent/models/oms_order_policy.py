from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.misc import formatLang
from odoo.tools.safe_eval import safe_eval

from ..services.lifecycle import Credit, countries_differ, payment_missing


class OmsOrderPolicy(models.Model):
    """A rule every incoming order goes through before it may be confirmed: a condition and what to do when the
    order meets it. Checked in sequence; an order meeting several holds lists every reason."""

    _name = "oms.order.policy"
    _description = "Order Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_type = fields.Selection(
        [("any", "All Customers"), ("b2c", "Consumers (B2C)"), ("b2b", "Businesses (B2B)")],
        required=True,
        default="any",
    )
    check = fields.Selection(
        [
            ("condition", "Condition on the Order"),
            ("payment", "Payment Received"),
            ("credit", "Credit Limit"),
            ("fraud", "Billing and Delivery Countries Differ"),
        ],
        required=True,
        default="condition",
        help="Payment: orders whose workflow requires payment wait for it. Credit: a business customer's open "
        "receivables, orders not invoiced and this order against its credit limit. Countries: billing and delivery "
        "countries differ on an order above the amount.",
    )
    domain = fields.Char(
        "Condition",
        default="[]",
        help="The orders this policy acts on, e.g. amount above 5,000 with a customer without earlier orders.",
    )
    amount_threshold = fields.Monetary(
        "Amount Above", currency_field="currency_id", help="Countries check: only orders above this amount."
    )
    action = fields.Selection(
        [
            ("hold", "Hold with a Reason"),
            ("approval", "Hold until a Group Approves"),
            ("tag", "Add Tags"),
            ("activity", "Notify a Team"),
        ],
        required=True,
        default="hold",
    )
    reason = fields.Char(translate=True, help="What the hold or the activity says; the policy's name when empty.")
    approval_group_id = fields.Many2one(
        "res.groups", "Approved By", help="Only members of this group may release the hold."
    )
    tag_ids = fields.Many2many("crm.tag", string="Tags")
    team_id = fields.Many2one(
        "crm.team", "Team to Notify", help="Its leader gets the activity; the order's salesperson when empty."
    )
    auto_release = fields.Boolean(
        "Release When Cleared",
        default=True,
        help="Release the hold by itself when the order no longer meets the policy (for example, the payment "
        "arrived); otherwise a person releases it with a note.",
    )

    @api.constrains("domain", "check")
    def _check_domain(self):
        for policy in self.filtered(lambda policy: policy.check == "condition"):
            try:
                for leaf in policy._domain():
                    if expression.is_leaf(leaf) and leaf not in (expression.TRUE_LEAF, expression.FALSE_LEAF):
                        _check_searchable(self.env["sale.order"], leaf[0])
                expression.expression(policy._domain(), self.env["sale.order"].sudo())
            except Exception as error:  # noqa: BLE001 - any parse or field error is the user's to fix
                raise ValidationError(
                    self.env._(
                        "The condition of policy %(policy)s is not valid: %(error)s", policy=policy.name, error=error
                    )
                ) from error

    @api.constrains("action", "approval_group_id", "tag_ids")
    def _check_action_settings(self):
        for policy in self:
            if policy.action == "approval" and not policy.approval_group_id:
                raise ValidationError(
                    self.env._("Policy %s holds until a group approves: choose the group.", policy.name)
                )
            if policy.action == "tag" and not policy.tag_ids:
                raise ValidationError(self.env._("Policy %s adds tags: choose at least one.", policy.name))

    def _domain(self):
        self.ensure_one()
        domain = safe_eval(self.domain or "[]", {"context_today": fields.Date.context_today(self)})
        if not isinstance(domain, list):
            raise ValueError(self.env._("a condition is a list of criteria, like [('amount_total', '>', 5000)]"))
        return expression.normalize_domain(domain)

    def _applies_to(self, orders):
        """The orders in this policy's scope (company and customer type); channels narrow it further."""
        self.ensure_one()
        return orders.filtered(
            lambda order: order.company_id == self.company_id and self.customer_type in ("any", order.oms_customer_type)
        )

    def _reasons(self, orders):
        """{order: reason} for the orders (in scope) that meet this policy."""
        self.ensure_one()
        orders = self._applies_to(orders)
        if not orders:
            return {}
        return getattr(self, f"_reasons_{self.check}")(orders)

    def _reasons_condition(self, orders):
        matching = self.env["sale.order"].search(expression.AND([[("id", "in", orders.ids)], self._domain()]))
        reason = self.reason or self.name
        return {order: reason for order in orders & matching}

    def _reasons_payment(self, orders):
        reasons = {}
        for order in orders.filtered(lambda order: order.oms_workflow_id.require_payment):
            if order._oms_skips_payment_hold():
                continue
            missing = payment_missing(order.amount_total, order.amount_paid, order.oms_paid_on_channel)
            if not missing:
                continue
            money = _money(self.env, order.currency_id)
            if order.amount_paid:
                reasons[order] = self.env._(
                    "Payment incomplete: %(paid)s of %(total)s received.",
                    paid=money(order.amount_paid),
                    total=money(order.amount_total),
                )
            else:
                reasons[order] = self.env._("Awaiting payment of %s.", money(order.amount_total))
        return reasons

    def _reasons_credit(self, orders):
        reasons = {}
        for order in orders:
            company = order.company_id
            partner = order.partner_id.commercial_partner_id.with_company(company).sudo()
            limit = partner.credit_limit if partner.use_partner_credit_limit else 0.0
            if not limit and company.account_use_credit_limit:
                limit = company.account_default_credit_limit
            credit = Credit(partner.credit, partner.credit_to_invoice, order._oms_company_amount(), limit)
            if credit.exceeded():
                money = _money(self.env, company.currency_id)
                reasons[order] = self.env._(
                    "Credit limit %(limit)s exceeded: open receivables %(receivable)s + not invoiced %(to_invoice)s "
                    "+ this order %(order)s = %(exposure)s.",
                    limit=money(credit.limit),
                    receivable=money(credit.receivable),
                    to_invoice=money(credit.to_invoice),
                    order=money(credit.order_amount),
                    exposure=money(credit.exposure),
                )
        return reasons

    def _reasons_fraud(self, orders):
        reasons = {}
        for order in orders:
            billing = order.partner_invoice_id.country_id
            delivery = order.partner_shipping_id.country_id
            amount = order._oms_company_amount()
            if countries_differ(billing.code, delivery.code, amount, self.amount_threshold):
                money = _money(self.env, order.company_id.currency_id)
                reasons[order] = self.env._(
                    "Billing country %(billing)s differs from delivery country %(delivery)s on an order of "
                    "%(amount)s (above %(threshold)s).",
                    billing=billing.name,
                    delivery=delivery.name,
                    amount=money(amount),
                    threshold=money(self.amount_threshold),
                )
        return reasons


def _money(env, currency):
    return lambda amount: formatLang(env, amount, currency_obj=currency)


def _check_searchable(model, path):
    """Refuse a criterion on a field the database cannot search (Odoo would only log it and match everything)."""
    for name in path.split("."):
        field = model._fields.get(name)
        if field is None:
            raise ValueError(f"{model._name} has no field {name}")
        if not (field.store or field.search or field.related):
            raise ValueError(f"{field.string} ({model._name}.{name}) is computed and cannot be searched")
        if field.relational:
            model = model.env[field.comodel_name]
