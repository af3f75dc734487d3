"""Push-back seen arriving at the local Shopify: stock set at the mapped location, a parcel and its backorder
fulfilled with their own lines and tracking, a credit note refunded once."""

from odoo import Command
from odoo.tests import tagged

from ..stand_ins.shopify import LocalShopify
from .platform_shops import fill_shopify
from .test_platform_pushback import PlatformChannelCase

ORDER = "5810000001001"  # the fixture's #1001: 2 x OMS-KET-17, 1 x OMS-TOS-02R, paid
KETTLE_LINE, TOASTER_LINE = "16100000010011", "16100000010012"
LOCATION = "80100000001"  # the stand-in's primary location


@tagged("post_install", "-at_install")
class TestShopifyPushback(PlatformChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop.product_binding_ids.unlink()
        cls.shop.product_binding_ids = [
            Command.create({"product_id": cls.kettle.id, "external_id": "45100000000001"}),
            Command.create({"product_id": cls.lamp.id, "external_id": "45100000000002"}),
        ]

    def setUp(self):
        super().setUp()
        # A new shop for each test: what one test fulfils or refunds is not left to ship or refund in the next.
        self.stand_in = self.enterContext(LocalShopify(access_token="shpat_pushback_token"))
        fill_shopify(self.stand_in)
        self.shop.write({"shop_url": self.stand_in.url, "access_token": "shpat_pushback_token"})

    def shopify_order(self):
        order = self.platform_order(ORDER, {self.kettle: (2, KETTLE_LINE), self.lamp: (1, TOASTER_LINE)})
        order.action_confirm()
        return order

    def test_stock_reaches_the_mapped_shopify_location(self):
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 7)
        self.shop.write(
            {
                "push_stock": True,
                "location_ids": [
                    Command.create(
                        {"name": "Madrid", "platform_location_id": LOCATION, "warehouse_ids": self.warehouse.ids}
                    )
                ],
            }
        )
        self.env["oms.channel"]._cron_push_stock()
        self.assertTrue(self.shop.last_stock_push_ok, self.shop.last_stock_push_message)
        quantities = {
            (line["inventoryItemId"], line["locationId"]): line["quantity"]
            for line in self.stand_in.stock_updates[-1]["quantities"]
        }
        self.assertEqual(
            quantities,
            {
                ("gid://shopify/InventoryItem/45100001000001", f"gid://shopify/Location/{LOCATION}"): 7,
                ("gid://shopify/InventoryItem/45100001000002", f"gid://shopify/Location/{LOCATION}"): 0,
            },
        )

    def test_a_parcel_and_its_backorder_are_fulfilled_with_their_own_lines_and_tracking(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 1)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.shopify_order()
        first = self.deliver(order.picking_ids, {self.kettle: 1, self.lamp: 1}, tracking="TRK-1")
        self.assertTrue(first.oms_tracking_pushed, first.message_ids.mapped("body"))
        self.assertTrue(first.oms_shipment_ref)
        fulfillment = self.stand_in.fulfillments[-1]
        self.assertEqual(fulfillment["trackingInfo"]["number"], "TRK-1")
        self.assertEqual(fulfillment["trackingInfo"]["company"], "Test Courier")
        shipped = sorted(
            item["quantity"]
            for group in fulfillment["lineItemsByFulfillmentOrder"]
            for item in group["fulfillmentOrderLineItems"]
        )
        self.assertEqual(shipped, [1, 1], "one kettle and the toaster, not the whole order")

        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 1)
        backorder = order.picking_ids - first
        backorder.action_assign()
        self.deliver(backorder, {self.kettle: 1}, tracking="TRK-2")
        self.assertTrue(backorder.oms_tracking_pushed)
        self.assertEqual(len(self.stand_in.fulfillments), 2)
        items = self.stand_in.fulfillments[-1]["lineItemsByFulfillmentOrder"][0]["fulfillmentOrderLineItems"]
        self.assertEqual([item["quantity"] for item in items], [1])
        self.assertEqual(self.stand_in.fulfillments[-1]["trackingInfo"]["number"], "TRK-2")

    def test_a_label_of_three_parcels_gives_shopify_every_number_and_its_page(self):
        self.carrier.tracking_url = "https://track.example.com/t/<shipmenttrackingnumber>"
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.shopify_order()
        picking = self.deliver(order.picking_ids, {self.kettle: 2, self.lamp: 1}, tracking="PCL-1,PCL-2,PCL-3")
        self.assertTrue(picking.oms_tracking_pushed, picking.message_ids.mapped("body"))
        self.assertEqual(
            self.stand_in.fulfillments[-1]["trackingInfo"],
            {
                "company": "Test Courier",
                "numbers": ["PCL-1", "PCL-2", "PCL-3"],
                "urls": [f"https://track.example.com/t/PCL-{n}" for n in (1, 2, 3)],
            },
        )

    def test_one_parcel_reaches_shopify_with_its_number_and_page(self):
        self.carrier.tracking_url = "https://track.example.com/t/<shipmenttrackingnumber>"
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        self.env["stock.quant"]._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.shopify_order()
        self.deliver(order.picking_ids, {self.kettle: 2, self.lamp: 1}, tracking="PCL-9")
        self.assertEqual(
            self.stand_in.fulfillments[-1]["trackingInfo"],
            {"company": "Test Courier", "number": "PCL-9", "url": "https://track.example.com/t/PCL-9"},
        )

    def test_a_delivery_without_tracking_reaches_shopify_only_with_its_number(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        picking = self.deliver(self.shopify_order().picking_ids, {self.kettle: 2, self.lamp: 1})
        self.env["stock.picking"]._cron_push_tracking()
        self.assertEqual(self.stand_in.fulfillments, [], "no shipment without its tracking number")
        picking.carrier_tracking_ref = "TRK-LATE"  # typed after the validation: sent at once
        self.assertEqual([f["trackingInfo"]["number"] for f in self.stand_in.fulfillments], ["TRK-LATE"])
        self.assertTrue(picking.oms_tracking_pushed)

    def test_a_shipment_shopify_refuses_is_noted_once_and_retried(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 1)
        order = self.platform_order("5810000009999", {self.kettle: (1, KETTLE_LINE)})  # not an order of the shop
        order.action_confirm()
        picking = self.deliver(order.picking_ids, {self.kettle: 1}, tracking="TRK-LOST")
        self.env["stock.picking"]._cron_push_tracking()
        self.assertFalse(picking.oms_tracking_pushed)
        self.assertIn("Shopify has no order 5810000009999", picking.oms_tracking_push_error)
        notes = picking.message_ids.filtered(lambda message: "not sent to channel" in (message.body or ""))
        self.assertEqual(len(notes), 1, "noted once, however many times the cron tries again")
        self.assertEqual(self.stand_in.fulfillments, [])

    def test_a_credit_note_is_refunded_on_shopify_once(self):
        order = self.shopify_order()
        credit_note = self.pushed_credit_note(order, "Kettle broken", self.kettle)
        self.assertEqual(credit_note.oms_refund_push_state, "pushed", credit_note.oms_refund_push_message)
        self.assertTrue(credit_note.oms_refund_channel_ref)
        refund = self.stand_in.refunds[-1]
        self.assertEqual(refund["orderId"], f"gid://shopify/Order/{ORDER}")
        self.assertEqual(
            [(line["lineItemId"], line["quantity"]) for line in refund["refundLineItems"]],
            [(f"gid://shopify/LineItem/{KETTLE_LINE}", 1)],
        )
        self.assertEqual(refund["transactions"][0]["amount"], "36.30")
        self.env["account.move"]._cron_push_channel_refunds()
        credit_note.button_draft()
        credit_note.action_post()
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(len(self.stand_in.refunds), 1, "sent once")
