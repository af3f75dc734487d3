"""Push-back seen arriving at the local Magento 2: source items of a mapped source (the channel's own open orders
not deducted twice), a shipment per parcel with its own items and track, a credit memo once."""

from odoo import Command
from odoo.tests import tagged

from ..stand_ins.magento import LocalMagento
from .platform_shops import fill_magento
from .test_platform_pushback import PlatformChannelCase

ORDER = 101  # the fixture order: 1 x CL-MANTA-LINO-ARENA (item 1011), 2 x CL-TAZA-GRES (item 1013), invoiced
BLANKET, MUG = "CL-MANTA-LINO-ARENA", "CL-TAZA-GRES"
TOKEN = "magento-pushback-token"


@tagged("post_install", "-at_install")
class TestMagentoPushback(PlatformChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop.write({"platform": "magento", "store_code": "default"})
        cls.shop.product_binding_ids.unlink()
        cls.shop.product_binding_ids = [
            Command.create({"product_id": cls.kettle.id, "external_sku": BLANKET}),
            Command.create({"product_id": cls.lamp.id, "external_sku": MUG}),
        ]

    def setUp(self):
        super().setUp()
        # A new shop for each test: what one test ships or refunds is not left to ship or refund in the next.
        self.stand_in = self.enterContext(LocalMagento(access_token=TOKEN))
        fill_magento(self.stand_in)
        self.shop.write({"shop_url": self.stand_in.url, "access_token": TOKEN})

    def magento_order(self):
        order = self.platform_order(str(ORDER), {self.kettle: (1, "1011"), self.lamp: (2, "1013")})
        order.action_confirm()
        return order

    def test_a_source_gets_its_warehouse_promise_without_the_channel_own_orders_deducted_twice(self):
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 7)
        self.shop.write(
            {
                "push_stock": True,
                "location_ids": [
                    Command.create(
                        {"name": "Madrid", "platform_location_id": "madrid", "warehouse_ids": self.warehouse.ids}
                    )
                ],
            }
        )
        self.magento_order()  # reserves the blanket: Magento has reserved it too, as its own order
        other = self.platform_order("OTHER", {self.kettle: (2, "X")})
        other.oms_channel_id = self.channel
        other.action_confirm()  # another channel's order: its kettles are promised, not the shop's to sell
        self.env["oms.channel"]._cron_push_stock()
        self.assertTrue(self.shop.last_stock_push_ok, self.shop.last_stock_push_message)
        self.assertEqual(
            self.stand_in.source_item_updates[-1],
            [
                {"sku": BLANKET, "source_code": "madrid", "quantity": 5, "status": 1},
                {"sku": MUG, "source_code": "madrid", "quantity": 0, "status": 0},
            ],
        )

    def test_each_parcel_is_a_shipment_of_its_own_items_with_its_track(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 1)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.magento_order()
        first = self.deliver(order.picking_ids, {self.kettle: 1, self.lamp: 1}, tracking="TRK-1")
        self.assertTrue(first.oms_tracking_pushed, first.message_ids.mapped("body"))
        order_id, shipment = self.stand_in.shipments[-1]
        self.assertEqual(order_id, ORDER)
        self.assertEqual(
            sorted((item["order_item_id"], item["qty"]) for item in shipment["items"]), [(1011, 1), (1013, 1)]
        )
        self.assertEqual(shipment["tracks"][0]["track_number"], "TRK-1")
        self.assertNotEqual(self.stand_in.order(ORDER)["state"], "complete")

        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        backorder = order.picking_ids - first
        backorder.action_assign()
        self.deliver(backorder, {self.lamp: 1}, tracking="TRK-2")
        self.assertTrue(backorder.oms_tracking_pushed)
        self.assertEqual(
            [(item["order_item_id"], item["qty"]) for item in self.stand_in.shipments[-1][1]["items"]], [(1013, 1)]
        )
        self.assertEqual(self.stand_in.order(ORDER)["state"], "complete", "everything has shipped")

    def test_a_label_of_three_parcels_is_one_shipment_with_a_track_per_parcel(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 1)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 2)
        order = self.magento_order()
        picking = self.deliver(order.picking_ids, {self.kettle: 1, self.lamp: 2}, tracking="PCL-1, PCL-2,PCL-3")
        self.assertTrue(picking.oms_tracking_pushed, picking.message_ids.mapped("body"))
        self.assertEqual(len(self.stand_in.shipments), 1)
        tracks = self.stand_in.shipments[-1][1]["tracks"]
        self.assertEqual([track["track_number"] for track in tracks], ["PCL-1", "PCL-2", "PCL-3"])
        self.assertEqual({(track["title"], track["carrier_code"]) for track in tracks}, {("Test Courier", "custom")})

    def test_a_credit_note_becomes_one_credit_memo(self):
        order = self.magento_order()
        credit_note = self.pushed_credit_note(order, "Mug chipped", self.lamp)
        self.assertEqual(credit_note.oms_refund_push_state, "pushed", credit_note.oms_refund_push_message)
        order_id, body = self.stand_in.refunds[-1]
        self.assertEqual(order_id, ORDER)
        self.assertEqual([(item["order_item_id"], item["qty"]) for item in body["items"]], [(1013, 1)])
        credit_note.button_draft()
        credit_note.action_post()
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(len(self.stand_in.refunds), 1, "sent once")
