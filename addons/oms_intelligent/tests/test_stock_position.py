from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestStockPosition(TransactionCase):
    """Order Management > Inventory > Stock Positions: one row per product and warehouse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.north, cls.south = cls.env["stock.warehouse"].create(
            [
                {"name": "Position North", "code": "PNO", "company_id": cls.company.id},
                {"name": "Position South", "code": "PSO", "company_id": cls.company.id},
            ]
        )
        cls.north_shelf = cls.env["stock.location"].create(
            {"name": "Shelf 1", "location_id": cls.north.lot_stock_id.id}
        )
        cls.kettle, cls.lamp, cls.unstocked = cls.env["product.product"].create(
            [
                {"name": "Position Kettle", "is_storable": True},
                {"name": "Position Lamp", "is_storable": True},
                {"name": "Position Nowhere", "is_storable": True},
            ]
        )
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")

    def positions(self, product):
        """{warehouse: position} of a product, as the screen reads them now."""
        self.env["oms.stock.position"].invalidate_model()
        positions = self.env["oms.stock.position"].search([("product_id", "=", product.id)])
        return {position.warehouse_id: position for position in positions}

    def put_in_stock(self, product, location, quantity):
        self.env["stock.quant"]._update_available_quantity(product, location, quantity)

    def move(self, product, source, destination, quantity, **values):
        return self.env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "product_uom_qty": quantity,
                "location_id": source.id,
                "location_dest_id": destination.id,
                **values,
            }
        )

    def deliver(self, product, warehouse, quantity):
        """A done delivery of the product from the warehouse to a customer."""
        delivery = self.move(product, warehouse.lot_stock_id, self.customer_location, quantity)
        delivery._action_confirm()
        delivery._action_assign()
        delivery.picked = True
        delivery._action_done()
        self.assertEqual(delivery.state, "done")
        return delivery

    def reserve(self, product, warehouse, quantity):
        reservation = self.move(product, warehouse.lot_stock_id, self.customer_location, quantity)
        reservation._action_confirm()
        reservation._action_assign()
        self.assertEqual(reservation.state, "assigned")
        return reservation

    def test_each_warehouse_shows_its_own_on_hand_reserved_and_available_to_promise(self):
        self.put_in_stock(self.kettle, self.north.lot_stock_id, 20)
        self.put_in_stock(self.kettle, self.north_shelf, 5)
        self.put_in_stock(self.kettle, self.south.lot_stock_id, 4)
        self.reserve(self.kettle, self.north, 3)
        positions = self.positions(self.kettle)
        self.assertEqual(set(positions), {self.north, self.south})
        north, south = positions[self.north], positions[self.south]
        self.assertEqual(
            (north.on_hand, north.reserved, north.free, north.cart_hold, north.available_to_promise),
            (25.0, 3.0, 22.0, 0.0, 22.0),
            "every internal location of the warehouse counts, its reservations are not promised again",
        )
        self.assertEqual((south.on_hand, south.reserved, south.available_to_promise), (4.0, 0.0, 4.0))
        self.assertEqual(north.product_tmpl_id, self.kettle.product_tmpl_id)
        self.assertEqual(north.company_id, self.company)
        self.assertFalse(self.positions(self.unstocked), "a product with nothing anywhere has no row")

    def test_incoming_shows_open_receipts_with_the_earliest_date(self):
        now = fields.Datetime.now()
        first = self.move(self.kettle, self.supplier_location, self.south.lot_stock_id, 5, date=now + timedelta(days=5))
        second = self.move(
            self.kettle,
            self.supplier_location,
            self.south.lot_stock_id,
            1,
            product_uom=self.env.ref("uom.product_uom_dozen").id,
            date=now + timedelta(days=9),
        )
        (first | second)._action_confirm()
        self.move(self.kettle, self.supplier_location, self.south.lot_stock_id, 100)  # a draft promises nothing
        self.put_in_stock(self.kettle, self.north.lot_stock_id, 8)
        self.move(self.kettle, self.north.lot_stock_id, self.north_shelf, 8)._action_confirm()
        positions = self.positions(self.kettle)
        south = positions[self.south]
        self.assertEqual(south.incoming_qty, 17.0, "5 units and a dozen, in the product's unit")
        self.assertEqual(south.incoming_date, first.date)
        self.assertEqual(south.on_hand, 0.0, "a warehouse with receipts only has a row too")
        self.assertEqual(
            (positions[self.north].incoming_qty, positions[self.north].incoming_date),
            (0.0, False),
            "a transfer inside the warehouse is no receipt",
        )

    def test_days_of_cover_follow_the_deliveries_of_the_last_30_days(self):
        self.put_in_stock(self.kettle, self.north.lot_stock_id, 25)
        self.put_in_stock(self.kettle, self.south.lot_stock_id, 10)
        self.deliver(self.kettle, self.north, 6)
        older = self.deliver(self.kettle, self.north, 2)
        older.move_line_ids.date = fields.Datetime.now() - timedelta(days=40)
        self.reserve(self.kettle, self.north, 3)
        positions = self.positions(self.kettle)
        north = positions[self.north]
        self.assertEqual((north.on_hand, north.available_to_promise), (17.0, 14.0))
        self.assertEqual(north.demand_30d, 6.0, "the delivery of 40 days ago is left out")
        self.assertAlmostEqual(north.days_of_cover, 70.0, msg="14 available at 6 units per 30 days")
        self.assertEqual(positions[self.south].demand_30d, 0.0)
        self.assertFalse(positions[self.south].days_of_cover, "no deliveries, no pace to count days with")

    def test_below_reorder_point_and_out_of_stock_are_flagged(self):
        self.put_in_stock(self.kettle, self.north.lot_stock_id, 12)
        self.put_in_stock(self.kettle, self.south.lot_stock_id, 4)
        self.reserve(self.kettle, self.north, 3)
        self.env["stock.warehouse.orderpoint"].create(
            [
                {
                    "product_id": product.id,
                    "warehouse_id": warehouse.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "product_min_qty": minimum,
                    "product_max_qty": 20,
                }
                for product, warehouse, minimum in [
                    (self.kettle, self.north, 9),
                    (self.kettle, self.south, 10),
                    (self.lamp, self.north, 5),
                ]
            ]
        )
        kettle, lamp = self.positions(self.kettle), self.positions(self.lamp)
        self.assertEqual(
            (kettle[self.north].reorder_min, kettle[self.north].below_reorder, kettle[self.north].out_of_stock),
            (9.0, False, False),
            "9 available is not below a reorder point of 9",
        )
        self.assertEqual(
            (kettle[self.south].reorder_min, kettle[self.south].below_reorder, kettle[self.south].out_of_stock),
            (10.0, True, False),
        )
        self.assertEqual(set(lamp), {self.north}, "a reordering rule alone gives a row")
        self.assertEqual((lamp[self.north].below_reorder, lamp[self.north].out_of_stock), (True, True))
        out_of_stock = self.env["oms.stock.position"].search(
            [("out_of_stock", "=", True), ("product_id", "in", (self.kettle | self.lamp).ids)]
        )
        self.assertEqual(out_of_stock.product_id, self.lamp)

    def test_oms_user_reads_the_positions_of_their_companies_but_cannot_change_them(self):
        other_company = self.env["res.company"].create({"name": "Position Elsewhere S.A."})
        elsewhere = self.env["stock.warehouse"].search([("company_id", "=", other_company.id)])
        self.put_in_stock(self.kettle, self.north.lot_stock_id, 3)
        self.put_in_stock(self.kettle, elsewhere.lot_stock_id, 7)
        user = new_test_user(
            self.env,
            login="position_user",
            groups="base.group_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self.assertEqual(set(self.positions(self.kettle)), {self.north, elsewhere})
        visible = self.env["oms.stock.position"].with_user(user).search([("product_id", "=", self.kettle.id)])
        self.assertEqual(visible.warehouse_id, self.north)
        self.assertEqual(visible.on_hand, 3.0)
        with self.assertRaises(AccessError):
            visible.check_access("write")

    def test_product_form_has_a_per_warehouse_button_for_oms_users(self):
        action = self.env.ref("oms_intelligent.action_oms_stock_position")
        user = new_test_user(self.env, login="position_button_user", groups="base.group_user,stock.group_stock_user")
        oms_user = new_test_user(
            self.env, login="position_button_oms", groups="base.group_user,oms_intelligent.group_oms_user"
        )
        for model, context_key in [("product.template", "product_tmpl_id"), ("product.product", "product_id")]:
            button = f'name="{action.id}"'
            arch = self.env[model].with_user(oms_user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn(button, arch, model)
            self.assertIn(f"'search_default_{context_key}': id", arch, model)
            arch = self.env[model].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertNotIn(button, arch, f"{model}: not for users outside Order Management")

    def test_demo_kettle_has_different_stock_in_each_warehouse(self):
        kettle = self.env.ref("oms_intelligent.product_oms_001")
        on_hand = {warehouse.code: position.on_hand for warehouse, position in self.positions(kettle).items()}
        self.assertEqual(on_hand, {"MAD": 50.0, "SVQ": 3.0, "LIS": 20.0}, "none in Barcelona, so no row there")
        by_warehouse = self.env["oms.stock.position"].read_group(
            [("product_id", "=", kettle.id)], ["on_hand:sum"], ["warehouse_id"]
        )
        self.assertEqual(sum(group["on_hand"] for group in by_warehouse), 73.0)
