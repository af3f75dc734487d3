"""An order pulled from each platform's stand-in, imported, then delivered with a tracking number: the shipment
reaches the platform naming the lines as the platform sent them (the import keeps their ids)."""

from odoo.tests import tagged

from .platform_common import PlatformCase


@tagged("post_install", "-at_install")
class TestPushbackOfPulledOrders(PlatformCase):
    def deliver_pulled_order(self, platform, reference):
        """Pull the platform's orders, then deliver the whole of ``reference`` with tracking TRK-<platform>."""
        channel, shop = self.platform_channel(platform)
        self.assertTrue(channel._sync_orders(), channel.last_sync_message)
        order = self.sale_orders(channel).filtered(lambda sale: sale.oms_channel_ref == reference)
        self.assertEqual(order.state, "sale")
        pickings = order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
        for move in pickings.move_ids:
            self.env["stock.quant"]._update_available_quantity(move.product_id, move.location_id, move.product_uom_qty)
        pickings.action_assign()
        for picking in pickings:
            picking.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": f"TRK-{platform}"})
            for move in picking.move_ids:
                move.write({"quantity": move.product_uom_qty, "picked": True})
            picking.button_validate()
            self.assertTrue(picking.oms_tracking_pushed, picking.message_ids.mapped("body"))
        return order, shop

    def test_shopify_fulfils_the_pulled_lines(self):
        order, shop = self.deliver_pulled_order("shopify", "5810000001001")
        items = [
            item
            for fulfillment in shop.fulfillments
            for group in fulfillment["lineItemsByFulfillmentOrder"]
            for item in group["fulfillmentOrderLineItems"]
        ]
        shipped = sum(item["quantity"] for item in items)
        self.assertEqual(shipped, 4, "2 kettles, a toaster and the gift wrap of #1001")
        self.assertEqual({fulfillment["trackingInfo"]["number"] for fulfillment in shop.fulfillments}, {"TRK-shopify"})
        self.assertTrue(order.order_line.filtered("oms_channel_line_ref"))

    def test_woocommerce_notes_the_tracking_and_completes_the_pulled_order(self):
        _order, shop = self.deliver_pulled_order("woocommerce", "5101")
        self.assertTrue(any("TRK-woocommerce" in note["note"] for order_id, note in shop.notes if order_id == 5101))
        self.assertIn((5101, {"status": "completed"}), shop.order_updates)

    def test_magento_ships_the_pulled_items(self):
        _order, shop = self.deliver_pulled_order("magento", "101")
        items = sorted(
            (item["order_item_id"], item["qty"]) for order_id, body in shop.shipments for item in body["items"]
        )
        self.assertEqual(items, [(1011, 1), (1013, 2)])
        self.assertEqual(shop.order(101)["state"], "complete")

    def test_prestashop_puts_the_tracking_and_ships_the_pulled_order(self):
        _order, shop = self.deliver_pulled_order("prestashop", "101")
        self.assertEqual([update.fields["tracking_number"] for update in shop.carrier_updates], ["TRK-prestashop"])
        self.assertEqual([change.fields["id_order"] for change in shop.state_changes], ["101"])

    def test_a_refund_sent_from_a_credit_note_comes_back_with_the_pull_and_asks_nothing(self):
        order, shop = self.deliver_pulled_order("woocommerce", "5101")
        invoice = order._create_invoices()
        invoice.action_post()
        credit_note = invoice._reverse_moves([{"ref": "Returned"}])
        credit_note.action_post()
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(credit_note.oms_refund_push_state, "pushed", credit_note.oms_refund_push_message)
        self.assertEqual(len(shop.refunds), 1)
        activities = order.activity_ids
        self.assertTrue(order.oms_channel_id._sync_orders(), order.oms_channel_id.last_sync_message)
        staged = self.staging("5101", order.oms_channel_id)
        self.assertFalse(staged.error_message, "the version with the refund is read like any other")
        known = self.env["oms.channel.refund"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(known.mapped("external_id"), [credit_note.oms_refund_channel_ref], "the pulled refund is ours")
        self.assertEqual(order.activity_ids, activities, "no one is asked to make a credit note that exists")
        self.assertEqual(len(shop.refunds), 1, "and it is not sent back again")
