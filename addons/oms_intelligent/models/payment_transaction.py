from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        """Once Odoo has confirmed the paid orders and recorded the payment, orders whose workflow invoices on
        payment get their invoice posted and reconciled with that payment."""
        result = super()._post_process()
        for transaction in self.filtered(lambda transaction: transaction.state == "done" and transaction.payment_id):
            orders = transaction.sale_order_ids.filtered(
                lambda order: order.oms_workflow_id.invoice_policy == "on_payment" and order.state == "sale"
            )
            for order in orders.sudo():
                invoices = order._oms_invoice_automatically()
                receivables = (invoices.line_ids | transaction.payment_id.move_id.line_ids).filtered(
                    lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
                if invoices and receivables:
                    receivables.reconcile()
        return result
