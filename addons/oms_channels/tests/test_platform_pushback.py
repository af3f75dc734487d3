"""Push-back to shop platforms, as the platform is told of it: stock per platform location, a shipment per parcel
with its own lines (refunds: test_platform_refunds.py; seen at each platform's stand-in: test_pushback_*.py)."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..stand_ins.shopify import LocalShopify
from .common import ChannelCase


class PlatformChannelCase(ChannelCase):
    """A Shopify channel (orders by webhook) with the kettle and the lamp bound, and an order of it: 3 kettles and
    a lamp at 21% VAT, with shipping. Its shop is a local stand-in without these orders: what is pushed of them is
    refused, and the tests read what the push-back builds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        empty_shop = cls.enterClassContext(LocalShopify(access_token="shpat_test"))
        cls.shop = cls.env["oms.channel"].create(
            {
                "name": "Test Shopify",
                "code": "TSHOP",
                "kind": "web_shop",
                "platform": "shopify",
                "connector": "webhook",
                "company_id": cls.company.id,
                "pricelist_id": cls.pricelist["EUR"].id,
                "warehouse_id": cls.warehouse.id,
                "shop_url": empty_shop.url,
                "access_token": "shpat_test",
                "product_binding_ids": [
                    Command.create({"product_id": cls.kettle.id, "external_id": "4493"}),
                    Command.create({"product_id": cls.lamp.id, "external_id": "4494", "external_sku": "SH-LAMP"}),
                ],
            }
        )
        cls.vat = cls.env["account.tax"].create(
            {"name": "Test VAT 21%", "amount": 21.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Lucía Fernández", "email": "lucia@example.es"})

    def platform_order(self, reference="1001", lines=None):
        """A sale order of the shop: {product: (quantity, platform line id)}, 3 kettles and a lamp by default."""
        lines = lines or {self.kettle: (3, "L-K"), self.lamp: (1, "L-L")}
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": self.pricelist["EUR"].id,
                "warehouse_id": self.warehouse.id,
                "oms_channel_id": self.shop.id,
                "oms_channel_ref": reference,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "price_unit": product.list_price,
                            "tax_id": [Command.set(self.vat.ids)],
                            "oms_channel_line_ref": line_id,
                        }
                    )
                    for product, (quantity, line_id) in lines.items()
                ],
            }
        )
        order.set_delivery_line(self.carrier, 5.0)
        order.order_line.filtered("is_delivery").tax_id = self.vat
        return order

    def two_orders_credit_note(self):
        """A posted credit note of a lamp of each of two orders of the shop."""
        first, second = self.platform_order("1001"), self.platform_order("1002")
        (first | second).action_confirm()
        lines = (first | second).order_line.filtered(lambda line: line.product_id == self.lamp)
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.lamp.id,
                            "quantity": 1,
                            "price_unit": 45.0,
                            "tax_ids": [Command.set(self.vat.ids)],
                            "sale_line_ids": [Command.set(line.ids)],
                        }
                    )
                    for line in lines
                ],
            }
        )
        credit_note.action_post()
        return credit_note

    def pushed_credit_note(self, order, reason, product=None):
        """The order invoiced, then credited (one unit of ``product``, else the whole invoice) and the refund push
        run once."""
        invoice = order._create_invoices()
        invoice.action_post()
        credit_note = invoice._reverse_moves([{"ref": reason}])
        if product:
            credit_note.invoice_line_ids.filtered(lambda line: line.product_id != product).unlink()
            credit_note.invoice_line_ids.quantity = 1
        credit_note.action_post()
        self.env["account.move"]._cron_push_channel_refunds()
        return credit_note

    def deliver(self, picking, quantities, tracking=None):
        """Validate ``picking`` with {product: quantity} done (a backorder for the rest), by the carrier."""
        picking.carrier_id = self.carrier
        if tracking:
            picking.carrier_tracking_ref = tracking
        for move in picking.move_ids:
            move.quantity = quantities.get(move.product_id, 0.0)
            move.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        return picking


@tagged("post_install", "-at_install")
class TestPlatformStockLevels(PlatformChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.north = cls.warehouse
        cls.south = cls.env["stock.warehouse"].create({"name": "South", "code": "STH", "company_id": cls.company.id})
        quants = cls.env["stock.quant"]
        quants._update_available_quantity(cls.kettle, cls.north.lot_stock_id, 10)
        quants._update_available_quantity(cls.lamp, cls.north.lot_stock_id, 4)
        quants._update_available_quantity(cls.kettle, cls.south.lot_stock_id, 7)

    def reserve(self, warehouse, product, quantity):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_ids.quantity, quantity)

    def hold_in_cart(self, channel, product, quantity):
        event = {"event": "cart.added", "cart_id": f"C-{product.id}", "sku": product.default_code, "quantity": quantity}
        self.env["oms.channel.cart"]._receive_event(channel, event)

    def levels(self):
        return {(level.location_id, level.channel_product_id): level for level in self.shop._platform_stock_levels()}

    def test_each_platform_location_gets_only_what_its_warehouses_can_promise(self):
        self.shop.location_ids = [
            Command.create({"name": "Madrid", "platform_location_id": "71001", "warehouse_ids": self.north.ids}),
            Command.create({"name": "Sevilla", "platform_location_id": "71002", "warehouse_ids": self.south.ids}),
        ]
        self.reserve(self.north, self.kettle, 2)
        # Carts of a channel shipping from the south hold its stock there, whichever channel they came from.
        self.channel.warehouse_id = self.south
        self.hold_in_cart(self.channel, self.kettle, 3)
        levels = self.levels()
        self.assertEqual(
            {key: level.quantity for key, level in levels.items()},
            {
                ("71001", "4493"): 8.0,  # 10 on hand - 2 reserved; the south's kettles are not Madrid's
                ("71001", "4494"): 4.0,
                ("71002", "4493"): 4.0,  # 7 on hand - 3 in an open cart
                ("71002", "4494"): 0.0,  # no lamp in the south, whatever the north has
            },
        )
        self.assertEqual(levels["71001", "4493"].sku, "TST-KET", "our SKU where the binding has none")
        self.assertEqual(levels["71001", "4494"].sku, "SH-LAMP", "the platform's SKU where the binding has it")

    def test_a_location_of_two_warehouses_gets_both_promises(self):
        self.shop.location_ids = [
            Command.create(
                {"name": "Spain", "platform_location_id": "es", "warehouse_ids": (self.north | self.south).ids}
            ),
        ]
        self.reserve(self.south, self.kettle, 1)
        self.assertEqual(self.levels()["es", "4493"].quantity, 16.0)

    def test_without_locations_one_level_per_product_over_the_channel_warehouses(self):
        self.shop.stock_warehouse_ids = self.north | self.south
        self.hold_in_cart(self.shop, self.kettle, 5)  # the shop ships from the north: held there
        levels = self.levels()
        self.assertEqual(set(levels), {(None, "4493"), (None, "4494")})
        self.assertEqual(levels[None, "4493"].quantity, 12.0, "10 + 7 on hand, 5 in a cart")
        self.shop.stock_warehouse_ids = self.south
        self.assertEqual(self.levels()[None, "4493"].quantity, 7.0, "the north's carts hold nothing in the south")

    def test_a_location_never_shows_less_than_nothing(self):
        self.shop.location_ids = [
            Command.create({"name": "Madrid", "platform_location_id": "71001", "warehouse_ids": self.north.ids}),
        ]
        self.hold_in_cart(self.shop, self.lamp, 9)
        self.assertEqual(self.levels()["71001", "4494"].quantity, 0.0)

    def test_oms_users_read_the_locations_and_only_managers_change_them(self):
        self.shop.location_ids = [
            Command.create({"name": "Madrid", "platform_location_id": "71001", "warehouse_ids": self.north.ids}),
        ]
        user = new_test_user(self.env, "oms_location_user", groups="oms_intelligent.group_oms_user")
        manager = new_test_user(self.env, "oms_location_manager", groups="oms_intelligent.group_oms_manager")
        location = self.shop.location_ids
        self.assertEqual(location.with_user(user).warehouse_ids, self.north)
        with self.assertRaises(AccessError):
            location.with_user(user).warehouse_ids = self.north | self.south
        location.with_user(manager).warehouse_ids = self.north | self.south
        self.assertEqual(self.levels()["71001", "4493"].quantity, 17.0)

    def test_a_platform_channel_without_bound_products_says_what_to_bind(self):
        self.shop.write({"push_stock": True, "product_binding_ids": [Command.clear()]})
        self.env["oms.channel"]._cron_push_stock()
        self.assertFalse(self.shop.last_stock_push_ok)
        self.assertIn("Products tab", self.shop.last_stock_push_message)

    def test_levels_of_many_products_take_as_few_queries_as_of_two(self):
        self.shop.location_ids = [
            Command.create({"name": "Madrid", "platform_location_id": "71001", "warehouse_ids": self.north.ids}),
            Command.create({"name": "Sevilla", "platform_location_id": "71002", "warehouse_ids": self.south.ids}),
        ]

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.shop._platform_stock_levels()
            return self.env.cr.sql_log_count - before

        two = queries()
        many = self.env["product.product"].create(
            [{"name": f"Bulk {index}", "default_code": f"BULK-{index}", "is_storable": True} for index in range(30)]
        )
        for product in many:
            self.env["stock.quant"]._update_available_quantity(product, self.south.lot_stock_id, 3)
        self.shop.product_binding_ids = [
            Command.create({"product_id": product.id, "external_id": f"77{index}"})
            for index, product in enumerate(many)
        ]
        self.assertEqual(queries(), two)
        self.assertEqual(len(self.shop._platform_stock_levels()), 64)

    def test_the_oms_schema_channel_still_pushes_its_free_quantities(self):
        self.channel.stock_warehouse_ids = self.north
        self.env["oms.channel.product"].create({"channel_id": self.channel.id, "product_id": self.kettle.id})
        self.assertEqual(self.channel._stock_to_push(), [{"sku": "TST-KET", "quantity": 10.0}])


@tagged("post_install", "-at_install")
class TestPlatformShipments(PlatformChannelCase):
    def test_partial_delivery_then_its_backorder_ship_their_own_lines_and_complete_the_order_last(self):
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 2)
        quants._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.platform_order()
        order.action_confirm()
        first = order.picking_ids
        self.deliver(first, {self.kettle: 2, self.lamp: 1})
        first.carrier_tracking_ref = "TRK-1"
        shipment = first._oms_shipment()
        self.assertEqual(shipment.order_external_id, "1001")
        self.assertEqual((shipment.tracking_number, shipment.carrier), ("TRK-1", "Test Courier"))
        self.assertEqual({(line.external_line_id, line.quantity) for line in shipment.lines}, {("L-K", 2), ("L-L", 1)})
        self.assertFalse(shipment.complete, "a kettle is still to ship")

        backorder = order.picking_ids - first
        self.assertEqual(backorder.move_ids.product_uom_qty, 1.0)
        quants._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 1)
        backorder.action_assign()
        self.deliver(backorder, {self.kettle: 1})
        backorder.carrier_tracking_ref = "TRK-2"
        shipment = backorder._oms_shipment()
        self.assertEqual([(line.external_line_id, line.quantity) for line in shipment.lines], [("L-K", 1)])
        self.assertEqual(shipment.tracking_number, "TRK-2")
        self.assertTrue(shipment.complete, "everything has shipped now")

    def test_a_delivery_without_tracking_number_is_not_pushed(self):
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 3)
        self.env["stock.quant"]._update_available_quantity(self.lamp, self.warehouse.lot_stock_id, 1)
        order = self.platform_order()
        order.action_confirm()
        picking = self.deliver(order.picking_ids, {self.kettle: 3, self.lamp: 1})
        self.assertFalse(picking.oms_tracking_pushed)
        self.assertFalse(picking._oms_pickings_to_push(), "nothing to send until the tracking number exists")
        self.env["stock.picking"]._cron_push_tracking()
        self.assertFalse(picking.oms_tracking_pushed)
        self.assertNotIn("sent to channel", " ".join(picking.message_ids.mapped("body")))
        picking.carrier_tracking_ref = "TRK-9"
        self.assertEqual(picking._oms_pickings_to_push(), picking, "the tracking number makes it due")
