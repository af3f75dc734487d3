from odoo import fields, models


class AccountMoveChannelRefund(models.Model):
    """A credit note made in Odoo for a refund the platform already made (announced by the import): linked to it,
    so that the push-back of credit notes to the platform never refunds the customer twice."""

    _inherit = "account.move"

    oms_channel_refund_id = fields.Many2one(
        "oms.channel.refund",
        "Platform Refund Answered",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="oms_intelligent.group_oms_user",
        help="The platform made this refund itself: the credit note only records it and is not sent back.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda move: move.move_type == "out_refund")._oms_match_platform_refunds()
        return posted

    def _oms_match_platform_refunds(self):
        """Link each of these customer credit notes to the platform refund it answers (same sale order, same
        amount, not answered yet); returns the credit notes that answer a platform refund, which the push-back
        must not send. Amounts are compared to the currency's rounding."""
        credit_notes = self.sudo().filtered(lambda move: move.move_type == "out_refund")
        orders = credit_notes.invoice_line_ids.sale_line_ids.order_id
        if not orders:
            return self.browse()
        refunds = self.env["oms.channel.refund"].sudo().search([("sale_order_id", "in", orders.ids)], order="id")
        answered = set(self.sudo().search([("oms_channel_refund_id", "in", refunds.ids)]).oms_channel_refund_id.ids)
        matched = self.browse()
        for move in credit_notes:
            if move.oms_channel_refund_id:
                matched |= move
                continue
            move_orders = move.invoice_line_ids.sale_line_ids.order_id
            refund = next(
                (
                    refund
                    for refund in refunds
                    if refund.id not in answered
                    and refund.sale_order_id in move_orders
                    and not move.currency_id.compare_amounts(refund.amount, move.amount_total)
                ),
                None,
            )
            if refund:
                move.oms_channel_refund_id = refund
                answered.add(refund.id)
                matched |= move
        return self.browse(matched.ids)
