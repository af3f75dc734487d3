"""Push-back to shop platforms, as the platform is told of it: stock per platform location, a shipment per parcel
with its own lines, a refund per credit note, once."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ChannelCase


class PlatformChannelCase(ChannelCase):
    """A Shopify channel (orders by webhook) with the kettle and the lamp bound, and an order of it: 3 kettles and
    a lamp at 21% VAT, with shipping."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
                "shop_url": "test-shop.myshopify.com",
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


@tagged("post_install", "-at_install")
class TestPlatformRefunds(PlatformChannelCase):
    def invoiced_order(self):
        order = self.platform_order()
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, invoice

    def credit_note(self, invoice, keep, from_channel=False):
        """The invoice's credit note, edited to {sale line: quantity} credited (the rest removed), posted."""
        credit_note = invoice._reverse_moves([{"ref": "Broken on arrival"}])
        credit_note.oms_refund_from_channel = from_channel
        for line in credit_note.invoice_line_ids:
            sale_line = line.sale_line_ids
            if sale_line in keep:
                line.quantity = keep[sale_line]
            else:
                line.unlink()
        credit_note.action_post()
        return credit_note

    def test_refund_request_has_the_credit_note_lines_and_amount(self):
        order, invoice = self.invoiced_order()
        kettle_line = order.order_line.filtered(lambda line: line.product_id == self.kettle)
        shipping_line = order.order_line.filtered("is_delivery")
        credit_note = self.credit_note(invoice, {kettle_line: 1, shipping_line: 1})
        self.assertEqual(credit_note.oms_refund_push_state, "to_push")
        request = credit_note._oms_refund_request()
        self.assertEqual(request.order_external_id, "1001")
        self.assertEqual(
            [(line.external_line_id, line.quantity, line.amount) for line in request.lines], [("L-K", 1.0, 36.3)]
        )
        self.assertEqual(request.shipping_amount, 6.05)
        self.assertEqual(request.amount, credit_note.amount_total)
        self.assertEqual(request.amount, 42.35)
        self.assertEqual(request.currency, "EUR")
        self.assertFalse(request.restock, "nothing came back")
        self.assertIn("Broken on arrival", request.reason)
        self.assertTrue(request.key.endswith(f"-{credit_note.id}"))
        other = self.credit_note(invoice, {kettle_line: 1})
        self.assertNotEqual(other._oms_refund_request().key, request.key, "one key per credit note")

    def test_a_refund_of_returned_goods_asks_the_platform_to_restock(self):
        for product, quantity in ((self.kettle, 3), (self.lamp, 1)):
            self.env["stock.quant"]._update_available_quantity(product, self.warehouse.lot_stock_id, quantity)
        order, invoice = self.invoiced_order()
        delivery = self.deliver(order.picking_ids, {self.kettle: 3, self.lamp: 1})
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({"picking_id": delivery.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = 1 if line.product_id == self.lamp else 0
        returned = wizard._create_return()
        returned.move_ids.write({"quantity": 1, "picked": True})
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        request = self.credit_note(invoice, {lamp_line: 1})._oms_refund_request()
        self.assertTrue(request.restock)
        self.assertEqual(
            [(line.external_line_id, line.quantity, line.amount) for line in request.lines], [("L-L", 1.0, 54.45)]
        )

    def test_refund_is_marked_once(self):
        order, invoice = self.invoiced_order()
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        credit_note = self.credit_note(invoice, {lamp_line: 1})
        credit_note.write({"oms_refund_push_state": "pushed", "oms_refund_channel_ref": "R-1"})
        credit_note.button_draft()
        credit_note.action_post()
        self.assertEqual(credit_note.oms_refund_push_state, "pushed", "posting again sends nothing again")

    def test_refunds_made_on_the_channel_are_never_pushed_back(self):
        order, invoice = self.invoiced_order()
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        credit_note = self.credit_note(invoice, {lamp_line: 1}, from_channel=True)
        self.assertFalse(credit_note.oms_refund_push_state)
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertFalse(credit_note.oms_refund_push_state)

    def test_the_credit_note_of_a_refund_the_platform_made_is_not_sent_back(self):
        order, invoice = self.invoiced_order()
        kettle_line = order.order_line.filtered(lambda line: line.product_id == self.kettle)
        # As the import records a refund made on the platform (announced on the order, a credit note to make).
        platform_refund = self.env["oms.channel.refund"].create(
            {"sale_order_id": order.id, "external_id": "R-77", "amount": 36.3}
        )
        recorded = self.credit_note(invoice, {kettle_line: 1})
        self.assertTrue(recorded.oms_refund_from_channel)
        self.assertEqual(recorded.oms_channel_refund_id, platform_refund)
        self.assertFalse(recorded.oms_refund_push_state, "the platform made it: nothing to send")
        self.assertIn("R-77", recorded.message_ids[0].body)
        another = self.credit_note(invoice, {kettle_line: 1})
        self.assertEqual(another.oms_refund_push_state, "to_push", "a second kettle refunded in Odoo is sent")
        self.assertFalse(another.oms_channel_refund_id)

    def test_refunds_of_oms_schema_channels_are_not_pushed(self):
        order, invoice = self.invoiced_order()
        order.oms_channel_id = self.channel
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        self.assertFalse(self.credit_note(invoice, {lamp_line: 1}).oms_refund_push_state)

    def test_a_credit_note_of_two_orders_is_not_sent_and_says_why(self):
        credit_note = self.two_orders_credit_note()
        self.assertEqual(credit_note.oms_refund_push_state, "to_push")
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(credit_note.oms_refund_push_state, "failed")
        self.assertIn("refunds 2 channel orders", credit_note.oms_refund_push_message)
        self.assertIn("refunds 2 channel orders", credit_note.message_ids[0].body)
        self.env["account.move"]._cron_push_channel_refunds()
        self.assertEqual(
            len(credit_note.message_ids.filtered(lambda message: "not sent to channel" in (message.body or ""))),
            1,
            "the same reason is noted once, not at every retry",
        )


@tagged("post_install", "-at_install")
class TestPushbackSpanish(PlatformChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["oms_channels"], ["es_ES"], overwrite=True)
        cls.spanish = cls.env(context=dict(cls.env.context, lang="es_ES"))

    def test_locations_and_refund_state_read_in_spanish(self):
        labels = self.spanish["oms.channel"].fields_get(["location_ids"], ["string"])
        self.assertEqual(labels["location_ids"]["string"], "Ubicaciones de la plataforma")
        states = self.spanish["account.move"].fields_get(["oms_refund_push_state"], ["selection"])
        self.assertEqual(dict(states["oms_refund_push_state"]["selection"])["failed"], "Fallido")

    def test_a_refund_not_sent_says_why_in_spanish(self):
        credit_note = self.two_orders_credit_note().with_context(lang="es_ES")
        with self.assertRaisesRegex(UserError, "reembolsa 2 pedidos de canal"):
            credit_note._oms_refund_request()
