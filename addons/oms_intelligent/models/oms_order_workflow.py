from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmsOrderWorkflow(models.Model):
    """What happens to an order by itself once its policies pass: confirm or send the quotation, and when to
    invoice. Chosen per channel, else the company's default for the customer type."""

    _name = "oms.order.workflow"
    _description = "Order Workflow"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    customer_type = fields.Selection(
        [("b2c", "Consumers (B2C)"), ("b2b", "Businesses (B2B)")],
        required=True,
        default="b2c",
        help="Consumers are individuals; businesses are customers that are companies.",
    )
    is_default = fields.Boolean(
        "Default for the Customer Type",
        help="Orders without a channel workflow follow this one when their customer is of this type.",
    )
    require_payment = fields.Boolean(
        help="Hold the order until it is paid (an authorised or done payment, or the channel says it was paid).",
    )
    send_quotation = fields.Boolean(
        "Quote First",
        help="Send the quotation by e-mail once validated; the order is confirmed when the customer accepts it.",
    )
    auto_confirm = fields.Boolean(
        "Confirm Automatically", default=True, help="Confirm (and route) the order as soon as no hold stops it."
    )
    invoice_policy = fields.Selection(
        [
            ("manual", "By Hand"),
            ("on_payment", "When Paid"),
            ("on_delivery", "When Delivered"),
        ],
        "Invoicing",
        required=True,
        default="manual",
        help="When paid: the invoice is posted and reconciled with the payment. When delivered: the invoice is "
        "posted when the delivery is done, due by the customer's payment terms.",
    )
    payment_journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="Where payments the channel collected are recorded when the order is invoiced; the company's first "
        "bank journal when empty.",
    )

    @api.constrains("is_default", "customer_type", "company_id", "active")
    def _check_one_default(self):
        for workflow in self.filtered(lambda workflow: workflow.is_default and workflow.active):
            if self.search_count(
                [
                    ("company_id", "=", workflow.company_id.id),
                    ("customer_type", "=", workflow.customer_type),
                    ("is_default", "=", True),
                    ("id", "!=", workflow.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s already has a default workflow for this customer type.",
                        company=workflow.company_id.name,
                    )
                )

    @api.constrains("send_quotation", "invoice_policy")
    def _check_quote_is_not_paid_first(self):
        for workflow in self:
            if workflow.send_quotation and workflow.invoice_policy == "on_payment":
                raise ValidationError(
                    self.env._("A workflow that quotes first invoices on delivery or by hand, not when paid.")
                )

    def _payment_journal(self):
        self.ensure_one()
        return self.payment_journal_id or self.env["account.journal"].search(
            [("company_id", "=", self.company_id.id), ("type", "=", "bank")], limit=1
        )
