import json

from odoo.tests import tagged

from .common import ChannelCase


@tagged("post_install", "-at_install")
class TestChannelIntake(ChannelCase):
    def test_fifty_orders_in_three_currencies_become_fifty_confirmed_sale_orders(self):
        currencies = ("EUR", "USD", "GBP")
        self.market.add_orders(
            [
                self.order(
                    f"MK-{number:03d}",
                    currency=currencies[number % 3],
                    lines=[
                        {"sku": "TST-KET", "quantity": 1 + number % 4, "unit_price": 20.0 + number},
                        {"barcode": "2000000000022", "quantity": 1, "unit_price": 41.5},
                        {"sku": "TST-TNT", "quantity": 2, "unit_price": 180.0},
                    ],
                    updated_at=f"2026-11-20T10:{number:02d}:00Z",
                )
                for number in range(50)
            ]
        )
        self.assertTrue(self.channel._sync_orders())
        orders = self.sale_orders()
        self.assertEqual(len(orders), 50)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        by_ref = {order.oms_channel_ref: order for order in orders}
        for number in range(50):
            order = by_ref[f"MK-{number:03d}"]
            self.assertEqual(order.currency_id.name, currencies[number % 3])
            kettle_line = order.order_line.filtered(lambda line: line.product_id == self.kettle)
            self.assertEqual(kettle_line.price_unit, 20.0 + number, "the channel's price is kept")
            self.assertEqual(kettle_line.product_uom_qty, 1 + number % 4)
            self.assertEqual(order.order_line.filtered(lambda line: line.product_id == self.lamp).price_unit, 41.5)
            self.assertTrue(order.picking_ids, "confirmed orders have a delivery")
        self.assertIn(
            "Local Market", "".join(orders[0].message_ids.mapped("body")), "the chatter says where it came from"
        )
        self.assertEqual(self.channel.sync_cursor.strftime("%H:%M"), "10:49")
        self.assertTrue(self.channel.last_sync_ok)
        # The next pull asks only for what changed since the cursor: nothing new, nothing doubled.
        self.channel._sync_orders()
        self.assertEqual(len(self.sale_orders()), 50)
        self.assertEqual(self.market.requests[-1].query["since"], "2026-11-20T10:49:00Z")

    def test_same_order_received_a_hundred_times_makes_one_sale_order(self):
        payload = self.order("MK-REPLAY")
        staging = self.env["oms.channel.order"]
        for attempt in range(100):
            source = "webhook" if attempt % 2 else "pull"
            raw = json.dumps(payload).encode() if attempt % 2 else payload
            records = staging._receive(self.channel, [raw], source=source)
            records.filtered(lambda record: record.state == "new")._import()
        self.market.add_orders([payload])
        self.channel._sync_orders()
        record = self.staging("MK-REPLAY")
        self.assertEqual(len(record), 1)
        self.assertEqual(record.receive_count, 101)
        self.assertEqual(record.state, "imported")
        self.assertEqual(len(self.sale_orders()), 1)

    def test_customer_is_matched_by_email_then_vat_then_phone(self):
        known = self.env["res.partner"].create(
            {"name": "Known Customer", "email": "Known@Example.com", "vat": "ESB12345678", "phone": "+34 600 111 222"}
        )
        address = {"street": "Calle Mayor 1", "city": "Madrid", "zip": "28013", "country_code": "ES"}
        orders = [
            self.order("BY-EMAIL", customer={"name": "K", "email": "known@example.com"}, billing_address=address),
            self.order(
                "BY-VAT",
                customer={"name": "K", "email": "other@example.com", "vat": "ES-B12345678"},
                billing_address=address,
            ),
            self.order("BY-PHONE", customer={"name": "K", "phone": "600111222"}, billing_address=address),
            self.order(
                "NEW", customer={"name": "Nuevo Cliente", "email": "nuevo@example.com"}, billing_address=address
            ),
        ]
        self.env["oms.channel.order"]._receive(self.channel, orders)._import()
        for ref in ("BY-EMAIL", "BY-VAT", "BY-PHONE"):
            self.assertEqual(self.staging(ref).sale_order_id.partner_id, known, ref)
        created = self.staging("NEW").sale_order_id.partner_id
        self.assertNotEqual(created, known)
        self.assertEqual(created.email, "nuevo@example.com")
        self.assertEqual(created.country_id.code, "ES")
        self.assertIn("matched by e-mail", self.staging("BY-EMAIL").sale_order_id.message_ids[0].body)

    def test_separate_delivery_address_keeps_its_coordinates(self):
        payload = self.order(
            "MK-SHIP",
            shipping_address={
                "name": "Office",
                "street": "Rua Augusta 10",
                "city": "Lisboa",
                "zip": "1100-053",
                "country_code": "PT",
                "latitude": 38.7107,
                "longitude": -9.1365,
            },
        )
        self.env["oms.channel.order"]._receive(self.channel, [payload])._import()
        order = self.staging("MK-SHIP").sale_order_id
        self.assertEqual(order.partner_shipping_id.country_id.code, "PT")
        self.assertAlmostEqual(order.partner_shipping_id.partner_latitude, 38.7107)
        self.assertEqual(order.partner_shipping_id.parent_id, order.partner_id)
        self.assertNotEqual(order.partner_shipping_id, order.partner_invoice_id)

    def test_mapped_shipping_method_adds_the_carrier_line_at_the_channel_price(self):
        payload = self.order("MK-EXPRESS", shipping={"method": "express", "price": 6.9})
        self.env["oms.channel.order"]._receive(self.channel, [payload])._import()
        order = self.staging("MK-EXPRESS").sale_order_id
        self.assertEqual(order.carrier_id, self.carrier)
        self.assertEqual(order.order_line.filtered("is_delivery").price_unit, 6.9)

    def test_cancellation_from_the_channel_cancels_the_imported_order(self):
        staging = self.env["oms.channel.order"]
        staging._receive(self.channel, [self.order("MK-CANCEL")])._import()
        order = self.staging("MK-CANCEL").sale_order_id
        self.assertEqual(order.state, "sale")
        staging._receive(self.channel, [self.order("MK-CANCEL", status="cancelled")])
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.staging("MK-CANCEL").state, "cancelled")
        self.assertEqual(len(self.sale_orders()), 1)

    def test_new_delivery_address_is_applied_before_shipment(self):
        staging = self.env["oms.channel.order"]
        staging._receive(self.channel, [self.order("MK-ADDR")])._import()
        order = self.staging("MK-ADDR").sale_order_id
        new_address = {
            "name": "New place",
            "street": "Passeig de Gràcia 50",
            "city": "Barcelona",
            "zip": "08007",
            "country_code": "ES",
        }
        staging._receive(self.channel, [self.order("MK-ADDR", shipping_address=new_address)])
        self.assertEqual(order.partner_shipping_id.street, "Passeig de Gràcia 50")
        self.assertEqual(order.picking_ids.partner_id, order.partner_shipping_id)
        self.assertEqual(len(self.sale_orders()), 1)

    def test_changed_lines_of_an_imported_order_are_flagged_not_duplicated(self):
        staging = self.env["oms.channel.order"]
        staging._receive(self.channel, [self.order("MK-LINES")])._import()
        changed = self.order("MK-LINES", lines=[{"sku": "TST-KET", "quantity": 5, "unit_price": 27.5}])
        staging._receive(self.channel, [changed])
        record = self.staging("MK-LINES")
        self.assertTrue(record.update_pending)
        self.assertEqual(
            record.sale_order_id.order_line.filtered(lambda line: not line.is_delivery).product_uom_qty, 2.0
        )
        self.assertTrue(record.sale_order_id.activity_ids)
        self.assertEqual(len(self.sale_orders()), 1)

    def test_order_already_entered_by_hand_is_marked_duplicate(self):
        manual = self.env["sale.order"].create(
            {"partner_id": self.env.user.partner_id.id, "oms_channel_id": self.channel.id, "oms_channel_ref": "MK-HAND"}
        )
        self.env["oms.channel.order"]._receive(self.channel, [self.order("MK-HAND")])._import()
        record = self.staging("MK-HAND")
        self.assertEqual(record.state, "duplicate")
        self.assertEqual(record.sale_order_id, manual)
        self.assertEqual(len(self.sale_orders()), 1)

    def test_stock_push_sends_free_quantity_over_the_channel_warehouses(self):
        stock_location = self.warehouse.lot_stock_id
        quants = self.env["stock.quant"]
        quants._update_available_quantity(self.kettle, stock_location, 12)
        quants._update_available_quantity(self.lamp, stock_location, 3)
        self.env["oms.channel.product"].create(
            [
                {"channel_id": self.channel.id, "product_id": self.kettle.id, "external_sku": "MKT-KETTLE"},
                {"channel_id": self.channel.id, "product_id": self.lamp.id},
                {"channel_id": self.channel.id, "product_id": self.tent.id},
            ]
        )
        # 2 kettles promised to a confirmed order are not available any more.
        self.env["oms.channel.order"]._receive(self.channel, [self.order("MK-RESERVE")])._import()
        self.channel.write({"push_stock": True, "stock_warehouse_ids": [(6, 0, self.warehouse.ids)]})
        self.channel._push_stock()
        self.assertEqual(
            self.market.stock_updates[-1],
            [
                {"sku": "MKT-KETTLE", "quantity": 10.0},
                {"sku": "TST-LMP", "quantity": 3.0},
                {"sku": "TST-TNT", "quantity": 0.0},
            ],
        )

    def test_tracking_number_reaches_the_channel_when_the_delivery_is_done(self):
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 5)
        self.market.add_order(self.order("MK-TRACK"))
        self.channel._sync_orders()
        picking = self.staging("MK-TRACK").sale_order_id.picking_ids
        picking.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": "TRK123456"})
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.oms_tracking_pushed)
        external_id, body = self.market.shipments[-1]
        self.assertEqual(external_id, "MK-TRACK")
        self.assertEqual(body["tracking_number"], "TRK123456")
        self.assertEqual(body["carrier"], "Test Courier")

    def test_every_parcels_number_and_the_first_page_reach_the_oms_schema_channel(self):
        self.carrier.tracking_url = "https://track.example.com/t/<shipmenttrackingnumber>"
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 5)
        self.market.add_order(self.order("MK-PARCELS"))
        self.channel._sync_orders()
        picking = self.staging("MK-PARCELS").sale_order_id.picking_ids
        picking.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": "PCL-1,PCL-2"})
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertTrue(picking.oms_tracking_pushed)
        _external_id, body = self.market.shipments[-1]
        self.assertEqual(body["tracking_number"], "PCL-1,PCL-2", "as before: Odoo's value")
        self.assertEqual(body["tracking_numbers"], ["PCL-1", "PCL-2"])
        self.assertEqual(body["tracking_url"], "https://track.example.com/t/PCL-1", "a working page, not PCL-1,PCL-2")

    def test_imported_orders_are_routed_by_the_channel_strategy(self):
        strategy = self.env["oms.routing.strategy"].create(
            {"name": "Channel strategy", "company_id": self.company.id, "split_policy": "never"}
        )
        self.channel.routing_strategy_id = strategy
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.warehouse.lot_stock_id, 5)
        self.env["oms.channel.order"]._receive(self.channel, [self.order("MK-ROUTED")])._import()
        order = self.staging("MK-ROUTED").sale_order_id
        self.assertEqual(order.oms_routing_decision_id.strategy_id, strategy)
        self.assertIn(self.warehouse.name, order.oms_routing_summary)
