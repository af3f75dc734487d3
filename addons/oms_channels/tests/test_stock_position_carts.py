from odoo.tests import tagged

from .common import ChannelCase


@tagged("post_install", "-at_install")
class TestStockPositionCarts(ChannelCase):
    """Units in customers' open carts are not promised to anyone else in Order Management > Stock Positions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.depot = cls.env["stock.warehouse"].create(
            {"name": "Cart Depot", "code": "CDP", "company_id": cls.company.id}
        )
        cls.channel.warehouse_id = cls.depot
        for warehouse in (cls.depot, cls.warehouse):
            cls.env["stock.quant"]._update_available_quantity(cls.kettle, warehouse.lot_stock_id, 10)

    def receive(self, name, cart_id="C-1", channel=None, **values):
        values.update(event=name, cart_id=cart_id)
        return self.env["oms.channel.cart"]._receive_event(channel or self.channel, values)

    def positions(self, product):
        """{warehouse: position} of a product, as the screen reads them now."""
        self.env["oms.stock.position"].invalidate_model()
        positions = self.env["oms.stock.position"].search([("product_id", "=", product.id)])
        return {position.warehouse_id: position for position in positions}

    def test_an_open_cart_lowers_available_to_promise_of_the_channel_warehouse(self):
        self.receive("cart.added", sku="TST-KET", quantity=2)
        self.receive("cart.added", sku="TST-LMP", quantity=1)
        kettle = self.positions(self.kettle)
        depot = kettle[self.depot]
        self.assertEqual((depot.on_hand, depot.cart_hold, depot.available_to_promise), (10.0, 2.0, 8.0))
        self.assertEqual(depot.free, 10.0, "a cart reserves no stock, it only promises less")
        self.assertEqual(
            (kettle[self.warehouse].cart_hold, kettle[self.warehouse].available_to_promise),
            (0.0, 10.0),
            "the other warehouse does not ship the channel's orders",
        )
        lamp = self.positions(self.lamp)
        self.assertEqual(set(lamp), {self.depot}, "a product in carts but not in stock shows where it is missing")
        self.assertEqual((lamp[self.depot].available_to_promise, lamp[self.depot].out_of_stock), (-1.0, True))

    def test_ordered_and_abandoned_carts_hold_nothing(self):
        self.receive("cart.added", "BOUGHT", sku="TST-KET", quantity=2)
        self.receive("cart.ordered", "BOUGHT")
        self.receive("cart.added", "GONE", sku="TST-KET", quantity=3)
        self.receive("cart.abandoned", "GONE")
        self.receive("cart.added", "OPEN", sku="TST-KET", quantity=1)
        depot = self.positions(self.kettle)[self.depot]
        self.assertEqual((depot.cart_hold, depot.available_to_promise), (1.0, 9.0))

    def test_carts_of_a_channel_without_warehouse_are_held_at_the_company_default_warehouse(self):
        self.channel.warehouse_id = False
        default_warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        self.receive("cart.added", sku="TST-KET", quantity=2)
        positions = self.positions(self.kettle)
        self.assertEqual(positions[default_warehouse].cart_hold, 2.0)
        self.assertEqual(sum(position.cart_hold for position in positions.values()), 2.0, "held once")
