from odoo import fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Invoicing by the workflow: what would stop an order is checked first, the invoices are posted together and a
    payment the channel collected is registered on them."""

    _inherit = "sale.order"

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
