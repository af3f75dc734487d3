"""Push-back seen arriving at the local WooCommerce: stock of a product and of a variation, a tracking note per
parcel and the order completed with the last one, a credit note refunded once."""

from odoo import Command
from odoo.tests import tagged

from ..stand_ins.woocommerce import LocalWooCommerce
from .platform_shops import fill_woocommerce
from .test_platform_pushback import PlatformChannelCase

ORDER = 5101  # the fixture order: 2 x OMS-KET-01 (item 7001), 2 x OMS-MUG-BLU (item 7002, variation 823 of 820)
KEY, SECRET = "ck_pushback_key", "cs_pushback_secret"


@tagged("post_install", "-at_install")
class TestWooCommercePushback(PlatformChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop.write({"platform": "woocommerce", "access_token": False})
        cls.shop.product_binding_ids.unlink()
        cls.shop.product_binding_ids = [
            Command.create({"product_id": cls.kettle.id, "external_id": "812", "external_sku": "OMS-KET-01"}),
            Command.create({"product_id": cls.lamp.id, "external_id": "823", "external_sku": "OMS-MUG-BLU"}),
        ]

    def setUp(self):
        super().setUp()
        # A new shop for each test: notes, refunds and stock of one test are not the next one's.
        self.stand_in = self.enterContext(LocalWooCommerce(consumer_key=KEY, consumer_secret=SECRET))
        fill_woocommerce(self.stand_in)
        self.stand_in.add_products(
            [
                {"id": 812, "sku": "OMS-KET-01"},
                {"id": 820, "sku": "OMS-MUG", "type": "variable"},
                {"id": 823, "sku": "OMS-MUG-BLU", "type": "variation", "parent_id": 820},
            ]
        )
        self.shop.write({"shop_url": self.stand_in.url, "consumer_key": KEY, "consumer_secret": SECRET})

    def woocommerce_order(self):
        order = self.platform_order(str(ORDER), {self.kettle: (2, "7001"), self.lamp: (2, "7002")})
        order.action_confirm()
        return order

    def test_stock_of_a_product_and_a_variation_reaches_woocommerce(self):
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 7)
        self.shop.push_stock = True
        # Left from when the channel was a Shopify one: WooCommerce has no locations, one quantity per product.
        self.shop.location_ids = [
            Command.create({"name": "Madrid", "platform_location_id": "71001", "warehouse_ids": self.warehouse.ids})
        ]
        self.env["oms.channel"]._cron_push_stock()
        self.assertTrue(self.shop.last_stock_push_ok, self.shop.last_stock_push_message)
        quantities = {
            (update["product_id"], update["variation_id"]): update["body"]["stock_quantity"]
            for update in self.stand_in.stock_updates
        }
        self.assertEqual(quantities, {(812, None): 7, (820, 823): 0})

    def test_each_parcel_notes_its_tracking_and_the_last_completes_the_order(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.woocommerce_order()
        first = self.deliver(order.picking_ids, {self.kettle: 2, self.lamp: 1}, tracking="TRK-1")
        self.assertTrue(first.oms_tracking_pushed, first.message_ids.mapped("body"))
        order_id, note = self.stand_in.notes[-1]
        self.assertEqual(order_id, ORDER)
        self.assertTrue(note["customer_note"])
        self.assertIn("TRK-1", note["note"])
        self.assertIn("× 2", note["note"])
        self.assertEqual(self.stand_in.order_updates, [], "a lamp is still to ship: the order is not completed")

        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        backorder = order.picking_ids - first
        backorder.action_assign()
        self.deliver(backorder, {self.lamp: 1}, tracking="TRK-2")
        self.assertTrue(backorder.oms_tracking_pushed)
        self.assertIn("TRK-2", self.stand_in.notes[-1][1]["note"])
        self.assertEqual(self.stand_in.order_updates, [(ORDER, {"status": "completed"})])

    def test_a_label_of_three_parcels_is_one_note_naming_every_number_and_page(self):
        self.carrier.tracking_url = "https://track.example.com/t/<shipmenttrackingnumber>"
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 2)
        order = self.woocommerce_order()
        picking = self.deliver(order.picking_ids, {self.kettle: 2, self.lamp: 2}, tracking="PCL-1,PCL-2,PCL-3")
        self.assertTrue(picking.oms_tracking_pushed, picking.message_ids.mapped("body"))
        self.assertEqual(len(self.stand_in.notes), 1)
        note = self.stand_in.notes[-1][1]["note"]
        self.assertIn("Tracking number PCL-1, PCL-2, PCL-3 (", note)
        for number in ("PCL-1", "PCL-2", "PCL-3"):
            self.assertIn(f"https://track.example.com/t/{number}", note)
        # Pushed again (the status update had failed): the customer is not told twice.
        picking.oms_tracking_pushed = False
        self.env["stock.picking"]._cron_push_tracking()
        self.assertTrue(picking.oms_tracking_pushed)
        self.assertEqual(len(self.stand_in.notes), 1)

    def test_a_credit_note_is_refunded_on_woocommerce_once(self):
        order = self.woocommerce_order()
        credit_note = self.pushed_credit_note(order, "Kettle broken", self.kettle)
        self.assertEqual(credit_note.oms_refund_push_state, "pushed", credit_note.oms_refund_push_message)
        order_id, refund = self.stand_in.refunds[-1]
        self.assertEqual((order_id, refund["amount"]), (ORDER, "36.30"))
        self.assertEqual([(item["id"], item["quantity"]) for item in refund["line_items"]], [(7001, 1)])
        self.assertFalse(refund["api_refund"], "the money was given back already: WooCommerce only records it")
        credit_note.button_draft()
        credit_note.action_post()
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(len(self.stand_in.refunds), 1, "sent once")
