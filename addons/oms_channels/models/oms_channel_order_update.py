from odoo import models

from ..services.channel_order import ChannelOrderError, parse_channel_order
from ..services.import_plan import ImportLookups, PlanError, plan_delivery_address


class ChannelImportError(ChannelOrderError):
    """A well-formed order that this company cannot take as it is (currency, country, shipping method...)."""


class OmsChannelOrderUpdate(models.Model):
    """A channel's change to an order already imported: cancelled, delivered elsewhere, or flagged for a person."""

    _inherit = "oms.channel.order"

    def _apply_update(self, previous, data):
        """Apply a channel's change to an imported order: cancellation and new address, or flag it for review."""
        order = self.sale_order_id
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
