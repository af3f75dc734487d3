import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.errors import ConnectorError
from ..services.platforms.client import RefundLine, RefundRequest

_logger = logging.getLogger(__name__)


class AccountMoveChannelRefund(models.Model):
    """A credit note of a shop platform's order gives the money back on the platform too (a Shopify refund, a
    WooCommerce refund, a Magento credit memo, a PrestaShop order slip): sent once, by a scheduled action that
    runs after the posting is committed, so that nothing is refunded on the platform for a posting rolled back."""

    _inherit = "account.move"

    oms_refund_channel_id = fields.Many2one(
        "oms.channel", "Refunded Channel", compute="_compute_oms_refund_channel_id", compute_sudo=True
    )
    oms_refund_from_channel = fields.Boolean(
        "Refund Made on the Channel",
        copy=False,
        help="The credit note records a refund the channel itself made: it is never sent back to the channel. Ticked "
        "when it is posted with the amount of a refund the channel announced on the order, or by hand before.",
    )
    oms_channel_refund_id = fields.Many2one(
        "oms.channel.refund",
        "Platform Refund Answered",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="oms_intelligent.group_oms_user",
        help="The platform made this refund itself: the credit note only records it and is not sent back.",
    )
    oms_channel_refund_ref = fields.Char(
        "Platform Refund ID", related="oms_channel_refund_id.external_id", groups="oms_intelligent.group_oms_user"
    )
    oms_refund_push_state = fields.Selection(
        [("to_push", "To Send"), ("pushed", "Sent"), ("failed", "Failed")],
        "Refund on the Channel",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Whether the credit note's refund reached the platform of its order's channel; a failed one is tried "
        "again by a scheduled action.",
    )
    oms_refund_channel_ref = fields.Char("Channel Refund ID", readonly=True, copy=False)
    oms_refund_push_message = fields.Text("Channel Refund Outcome", readonly=True, copy=False)

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._oms_mark_channel_refunds()
        return posted

    @api.depends("invoice_line_ids.sale_line_ids")
    def _compute_oms_refund_channel_id(self):
        for move in self:
            refunded = move._oms_refund_orders() if move.move_type == "out_refund" else move.env["sale.order"]
            move.oms_refund_channel_id = refunded.oms_channel_id[:1]

    def _oms_mark_channel_refunds(self):
        """Mark the customer credit notes of platform channels' orders to be sent, once, and wake the sender;
        those recording a refund the platform made (ticked by hand, or answering one the import announced) are not."""
        credit_notes = self.filtered(lambda move: move.move_type == "out_refund" and not move.oms_refund_push_state)
        answering = credit_notes._oms_match_platform_refunds()
        answering._oms_record_platform_refund()
        refunds = (credit_notes - answering).filtered(
            lambda move: not move.oms_refund_from_channel and move.sudo()._oms_refund_orders()
        )
        if refunds:
            refunds.oms_refund_push_state = "to_push"
            self.env.ref("oms_channels.ir_cron_push_channel_refunds").sudo()._trigger()

    def _oms_record_platform_refund(self):
        """These credit notes answer refunds the platform made itself: ticked, never sent, said in their chatter."""
        for move in self.sudo().filtered(lambda move: not move.oms_refund_from_channel or move.oms_refund_push_state):
            move.write(
                {"oms_refund_from_channel": True, "oms_refund_push_state": False, "oms_refund_push_message": False}
            )
            move.message_post(
                body=self.env._(
                    "Records the refund %(refund)s made on channel %(channel)s: not sent back to it.",
                    refund=move.oms_channel_refund_id.external_id,
                    channel=move.oms_channel_refund_id.channel_id.name,
                )
            )

    def _oms_match_platform_refunds(self):
        """Link each of these customer credit notes to the platform refund it answers (same sale order, same
        amount, not answered yet); returns the credit notes that answer a platform refund, which the push-back
        must not send. Amounts are compared to the currency's rounding."""
        credit_notes = self.sudo().filtered(lambda move: move.move_type == "out_refund")
        orders = credit_notes.invoice_line_ids.sale_line_ids.order_id
        if not orders:
            return self.browse()
        refunds = self.env["oms.channel.refund"].sudo().search([("sale_order_id", "in", orders.ids)], order="id")
        # A refund the push-back made comes back with the next pull: it is the sent credit note's, answers no other.
        sent = self.sudo().search([("oms_refund_channel_ref", "in", refunds.mapped("external_id"))])
        echoes = {(order.id, move.oms_refund_channel_ref) for move in sent for order in move._oms_refund_orders()}
        refunds = refunds.filtered(lambda refund: (refund.sale_order_id.id, refund.external_id) not in echoes)
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

    def _oms_refund_orders(self):
        """The orders of platform channels that the credit note's lines refund."""
        orders = self.invoice_line_ids.sale_line_ids.order_id
        return orders.filtered(lambda order: order.oms_channel_id.platform not in (False, "oms"))

    @api.model
    def _cron_push_channel_refunds(self, limit=50):
        moves = self.search(
            [
                ("oms_refund_push_state", "in", ("to_push", "failed")),
                ("state", "=", "posted"),
                ("move_type", "=", "out_refund"),
            ],
            order="id",
            limit=limit,
        )
        for move in moves:
            move._oms_push_channel_refund()
            self.env["oms.channel"]._commit_batch()

    def _oms_push_channel_refund(self):
        """Send this credit note's refund to its channel; True when the platform took it."""
        self.ensure_one()
        if self._oms_match_platform_refunds():
            # Refunded on the platform meanwhile (PrestaShop's back office, a merchant on Shopify): never twice.
            self._oms_record_platform_refund()
            return False
        channel = self.sudo()._oms_refund_orders().oms_channel_id[:1]
        try:
            request = self._oms_refund_request()  # raises unless the credit note refunds one channel order
            refund_id = channel._get_connector().push_refund(request)
        except (ConnectorError, UserError, ValueError) as error:  # ValueError: what a platform client refuses
            message = channel._redact_credentials(str(error)) if channel else str(error)
            _logger.info("refund %s not sent to channel %s: %s", self.name, channel.code, message)
            if (self.oms_refund_push_state, self.oms_refund_push_message) != ("failed", message):
                # Once per reason, not at every retry.
                self.message_post(
                    body=self.env._(
                        "Refund not sent to channel %(channel)s yet: %(error)s", channel=channel.name, error=message
                    )
                )
            self.write({"oms_refund_push_state": "failed", "oms_refund_push_message": message})
            return False
        self.write(
            {
                "oms_refund_push_state": "pushed",
                "oms_refund_channel_ref": refund_id or False,
                "oms_refund_push_message": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Refund sent to channel %(channel)s (its refund %(reference)s).",
                channel=channel.name,
                reference=refund_id or "-",
            )
        )
        return True

    def _oms_refund_request(self):
        """What the platform is asked to give back: the credit note's lines (by the platform's line ids, in the
        order's units, tax included), its shipping and its total, under a key unique to this credit note."""
        self.ensure_one()
        move = self.sudo()
        orders = move._oms_refund_orders()
        if len(orders) != 1:
            raise UserError(
                self.env._(
                    "Credit note %(move)s refunds %(count)s channel orders: a platform refunds one order at a time.",
                    move=self.display_name,
                    count=len(orders),
                )
            )
        lines, shipping = {}, 0.0
        for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            sale_line = line.sale_line_ids.filtered(lambda sale_line: sale_line.order_id == orders)[:1]
            if sale_line.is_delivery:
                shipping += line.price_total
            elif sale_line.oms_channel_line_ref:
                quantity, amount = lines.get(sale_line.oms_channel_line_ref, (0.0, 0.0))
                quantity += line.product_uom_id._compute_quantity(line.quantity, sale_line.product_uom)
                lines[sale_line.oms_channel_line_ref] = (quantity, amount + line.price_total)
        currency = move.currency_id
        return RefundRequest(
            order_external_id=orders.oms_channel_ref,
            key=f"{self.env['ir.config_parameter'].sudo().get_param('database.uuid')}-{move.id}",
            amount=currency.round(move.amount_total),
            currency=currency.name,
            lines=tuple(
                RefundLine(external_line_id=line_id, quantity=quantity, amount=currency.round(amount))
                for line_id, (quantity, amount) in lines.items()
            ),
            shipping_amount=currency.round(shipping),
            reason=move.ref or None,
            restock=move._oms_refund_restocks(),
        )

    def _oms_refund_restocks(self):
        """Whether goods came back: a return of the refunded lines was received into a warehouse."""
        moves = self.invoice_line_ids.sale_line_ids.move_ids
        return any(
            move.state == "done" and move.origin_returned_move_id and move.location_dest_id.usage == "internal"
            for move in moves
        )
