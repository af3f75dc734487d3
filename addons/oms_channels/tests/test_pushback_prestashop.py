"""Push-back seen arriving at the local PrestaShop: stock of a product and of a combination, the tracking number of
each parcel on the order's carrier and the shipped state with the last; a refund, which the webservice cannot take,
says where to make it."""

from odoo import Command
from odoo.tests import tagged

from ..stand_ins.prestashop import LocalPrestashop
from .platform_shops import fill_prestashop
from .test_platform_pushback import PlatformChannelCase

ORDER = "101"  # the fixture order, its carrier row 201
KEY = "PUSHBACKTESTKEY0123456789ABCDEFG"


@tagged("post_install", "-at_install")
class TestPrestashopPushback(PlatformChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop.write({"platform": "prestashop", "access_token": False})
        cls.shop.product_binding_ids.unlink()
        cls.shop.product_binding_ids = [
            Command.create({"product_id": cls.kettle.id, "external_id": "12", "external_sku": "OMS-KET-01"}),
            Command.create({"product_id": cls.lamp.id, "external_id": "14-31", "external_sku": "OMS-TOA-01"}),
        ]

    def setUp(self):
        super().setUp()
        # A new shop for each test: what one test writes is not the next one's.
        self.stand_in = self.enterContext(LocalPrestashop(key=KEY))
        fill_prestashop(self.stand_in)
        self.shop.write({"shop_url": self.stand_in.url, "webservice_key": KEY})

    def prestashop_order(self):
        order = self.platform_order(ORDER, {self.kettle: (2, "1001"), self.lamp: (1, "1002")})
        order.action_confirm()
        return order

    def test_stock_of_a_product_and_a_combination_reaches_prestashop(self):
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 7)
        self.shop.push_stock = True
        self.env["oms.channel"]._cron_push_stock()
        self.assertTrue(self.shop.last_stock_push_ok, self.shop.last_stock_push_message)
        self.assertEqual(
            [(row.id, row.fields["quantity"]) for row in self.stand_in.stock_updates], [(88, "7"), (89, "0")]
        )

    def test_each_parcel_puts_its_tracking_and_the_last_marks_the_order_shipped(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        order = self.prestashop_order()
        first = self.deliver(order.picking_ids, {self.kettle: 2}, tracking="TRK-1")
        self.assertTrue(first.oms_tracking_pushed, first.message_ids.mapped("body"))
        self.assertEqual(
            [(row.id, row.fields["tracking_number"]) for row in self.stand_in.carrier_updates], [(201, "TRK-1")]
        )
        self.assertEqual(self.stand_in.state_changes, [], "not shipped before the last parcel")

        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        backorder = order.picking_ids - first
        backorder.action_assign()
        self.deliver(backorder, {self.lamp: 1}, tracking="TRK-2")
        self.assertTrue(backorder.oms_tracking_pushed)
        self.assertEqual(self.stand_in.carrier_updates[-1].fields["tracking_number"], "TRK-2")
        self.assertEqual(
            [(change.fields["id_order"], change.fields["id_order_state"]) for change in self.stand_in.state_changes],
            [(ORDER, "4")],
        )

    def test_a_label_of_three_parcels_puts_the_first_parcels_number_on_the_order_carrier(self):
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        self.env["stock.quant"]._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.prestashop_order()
        picking = self.deliver(order.picking_ids, {self.kettle: 2, self.lamp: 1}, tracking="PCL-1,PCL-2,PCL-3")
        self.assertTrue(picking.oms_tracking_pushed, picking.message_ids.mapped("body"))
        self.assertEqual(
            [(row.id, row.fields["tracking_number"]) for row in self.stand_in.carrier_updates], [(201, "PCL-1")]
        )

    def test_a_refund_says_to_make_it_in_the_prestashop_back_office(self):
        order = self.prestashop_order()
        credit_note = self.pushed_credit_note(order, "Kettle broken")
        self.assertEqual(credit_note.oms_refund_push_state, "failed")
        self.assertIn("PrestaShop back office", credit_note.oms_refund_push_message)
        self.assertNotIn(KEY, credit_note.oms_refund_push_message)
        # Refunded in the back office: its order slip comes back with the next pull, and answers the credit note.
        self.env["oms.channel.refund"].create(
            {"sale_order_id": order.id, "external_id": "7", "amount": credit_note.amount_total}
        )
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertTrue(credit_note.oms_refund_from_channel)
        self.assertFalse(credit_note.oms_refund_push_state, "nothing left to send: not tried again")
        self.assertIn("Records the refund 7", credit_note.message_ids[0].body)
