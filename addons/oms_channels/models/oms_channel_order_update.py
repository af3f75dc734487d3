from markupsafe import Markup

from odoo import fields, models
from odoo.tools.misc import format_amount

from ..services.channel_order import ChannelOrderError, parse_channel_order
from ..services.import_plan import ImportLookups, PlanError, plan_delivery_address


class ChannelImportError(ChannelOrderError):
    """A well-formed order that this company cannot take as it is (currency, country, shipping method...)."""


class OmsChannelOrderUpdate(models.Model):
    """A channel's change to an order already imported: cancelled, delivered elsewhere, refunded, or flagged for a
    person."""

    _inherit = "oms.channel.order"

    def _apply_update(self, previous, data):
        """Apply a channel's change to an imported order: cancellation and new address, or flag it for review; its
        new refunds are announced."""
        order = self.sale_order_id
        self._announce_new_refunds(order, data)
        shipped = order.picking_ids.filtered(lambda picking: picking.state == "done")
        notes = []
        if data.get("status") == "cancelled":
            if order.state == "cancel":
                pass
            elif shipped:
                notes.append(self.env._("The channel cancelled the order after it was shipped."))
            else:
                order._action_cancel()
                order.message_post(body=self.env._("Cancelled by channel %s.", self.channel_id.name))
                self._oms_write({"state": "cancelled"})
        else:
            new_address = data.get("shipping_address") or data.get("billing_address")
            old_address = previous.get("shipping_address") or previous.get("billing_address")
            if new_address != old_address:
                if shipped:
                    notes.append(self.env._("The channel changed the delivery address after shipment."))
                else:
                    self._update_delivery_address(order, data)
            if previous.get("lines") != data.get("lines"):
                notes.append(self.env._("The channel changed the order lines; the sale order was left as it is."))
        if notes:
            message = " ".join(notes)
            self.write({"update_pending": True, "update_message": message})
            order.message_post(body=message)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Review the channel's change"),
                note=message,
                user_id=self.channel_id.user_id.id or self.env.user.id,
            )

    def _update_delivery_address(self, order, data):
        address = parse_channel_order(data).shipping_address
        lookups = ImportLookups(**self._address_lookups([address]))
        try:
            new_address = plan_delivery_address(address, lookups, order.partner_id.id, order.partner_id.name)
        except PlanError as error:
            raise ChannelImportError(error.category, self._plan_error_message(error)) from None
        delivery = self.env["res.partner"].create({**new_address.values, "parent_id": new_address.parent})
        order.partner_shipping_id = delivery
        order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel")).partner_id = delivery
        order.message_post(body=self.env._("Delivery address changed by channel %s.", self.channel_id.name))

    def _announce_new_refunds(self, order, data):
        try:
            refunds = parse_channel_order(data).refunds
        except ChannelOrderError:
            return  # a version that does not parse: its other changes are flagged as they are
        self._remember_refunds(order, [refunds])

    def _remember_refunds(self, orders, refunds_per_order):
        """Remember the platform's refunds of these sale orders that are not known yet, each once, and ask the
        channel's responsible to make their credit note (a note and an activity per order)."""
        known = {
            (refund["sale_order_id"][0], refund["external_id"])
            for refund in self.env["oms.channel.refund"].search_read(
                [("sale_order_id", "in", orders.ids)], ["sale_order_id", "external_id"]
            )
        }
        new = {}
        for order, refunds in zip(orders, refunds_per_order, strict=True):
            for refund in refunds:
                if (order.id, refund.external_id) not in known:
                    known.add((order.id, refund.external_id))
                    new.setdefault(order, []).append(refund)
        if not new:
            return
        self.env["oms.channel.refund"].create(
            [self._refund_vals(order, refund) for order, refunds in new.items() for refund in refunds]
        )
        echoes = self._pushed_refunds(orders)
        for order, refunds in new.items():
            # A refund the push-back made from a credit note comes back with the next pull: nothing to do.
            to_announce = [refund for refund in refunds if (order.id, refund.external_id) not in echoes]
            if to_announce:
                self._announce_refunds(order, to_announce)

    def _pushed_refunds(self, orders):
        """{(sale order id, platform refund id)} of the refunds the push-back made from these orders' credit notes."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search([("oms_refund_channel_ref", "!=", False), ("line_ids.sale_line_ids.order_id", "in", orders.ids)])
        )
        return {(order.id, move.oms_refund_channel_ref) for move in moves for order in move._oms_refund_orders()}

    def _refund_vals(self, order, refund):
        return {
            "sale_order_id": order.id,
            "external_id": refund.external_id,
            "date": refund.date.replace(tzinfo=None) if refund.date else False,
            "amount": refund.amount,
            "shipping_amount": refund.shipping_amount,
            "description": "\n".join(self._refund_lines(order, refund)) or False,
        }

    def _refund_lines(self, order, refund):
        """What a refund gives back, line by line, named by the sale order's products."""
        by_ref = {line.oms_channel_line_ref: line for line in order.order_line if line.oms_channel_line_ref}
        texts = []
        for refund_line in refund.lines:
            line = by_ref.get(refund_line.external_line_id)
            quantity = format(refund_line.quantity, "g")
            texts.append(
                self.env._(
                    "%(quantity)s × %(product)s: %(amount)s",
                    quantity=quantity,
                    product=line.product_id.display_name if line else refund_line.external_line_id,
                    amount=format_amount(self.env, refund_line.amount, order.currency_id),
                )
            )
        if refund.shipping_amount:
            texts.append(self.env._("Shipping: %s", format_amount(self.env, refund.shipping_amount, order.currency_id)))
        return texts

    def _announce_refunds(self, order, refunds):
        channel = order.oms_channel_id
        items = Markup()
        for refund in refunds:
            details = Markup("").join(Markup("<li>%s</li>") % text for text in self._refund_lines(order, refund))
            items += Markup("<li>%s<ul>%s</ul></li>") % (
                self.env._(
                    "Refund %(ref)s of %(amount)s on %(date)s",
                    ref=refund.external_id,
                    amount=format_amount(self.env, refund.amount, order.currency_id),
                    date=fields.Datetime.to_string(refund.date.replace(tzinfo=None)) if refund.date else "-",
                ),
                details,
            )
        intro = self.env._("Channel %s refunded the customer: make the credit note in Odoo.", channel.name)
        order.message_post(body=Markup("<p>%s</p><ul>%s</ul>") % (intro, items))
        order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Make the credit note of the channel's refund"),
            note=Markup("<ul>%s</ul>") % items,
            user_id=channel.user_id.id or self.env.user.id,
        )
