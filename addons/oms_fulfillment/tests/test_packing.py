"""Box choice on the demo company's deliveries: the Boxes tab's suggestion and Put in Boxes.

The demo boxes of OMS Iberia (inner mm, max gross kg, EUR): S 300 x 200 x 150, 5 kg, 0.60; M 400 x 300 x 200,
12 kg, 0.95; L 500 x 400 x 300, 20 kg, 1.60; XL 700 x 500 x 450, 30 kg, 2.90, kept in Madrid, Barcelona and Sevilla
but not in Lisboa.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestBoxChoice(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company.oms_box_objective = "cheapest"
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.lisboa = cls.env.ref("oms_intelligent.wh_lisboa")
        cls.customer = cls.env.ref("oms_intelligent.partner_customer_lucia_fernandez")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.box_s, cls.box_m, cls.box_l, cls.box_xl = (
            cls.env.ref(f"oms_fulfillment.package_type_box_{size}") for size in ("s", "m", "l", "xl")
        )
        cls.kettle = cls.env.ref("oms_intelligent.product_oms_001")  # 230 x 170 x 250 mm, 1.2 kg
        cls.headlamp = cls.env.ref("oms_intelligent.product_oms_026")  # 80 x 45 x 40 mm, 0.09 kg
        cls.family_tent = cls.env.ref("oms_intelligent.product_oms_019")  # 780 x 380 x 380 mm, 24 kg
        cls.cooler = cls.env.ref("oms_intelligent.product_oms_024")  # 600 x 400 x 420 mm, 4.8 kg
        cls.unmeasured = cls.env["product.product"].create(
            {
                "name": "Mystery Parcel",
                "default_code": "BOX-NODIM",
                "is_storable": True,
                "company_id": cls.company.id,
                "weight": 1.0,
            }
        )
        for product in cls.kettle | cls.headlamp | cls.family_tent | cls.unmeasured:
            cls.env["stock.quant"]._update_available_quantity(product, cls.madrid.lot_stock_id, 20)

    def delivery(self, *lines, warehouse=None, reserve=True):
        warehouse = warehouse or self.madrid
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.customers.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.customers.id,
                        },
                    )
                    for product, quantity in lines
                ],
            }
        )
        picking.action_confirm()
        if reserve:
            picking.action_assign()
            self.assertEqual(picking.state, "assigned")
        return picking

    def packed(self, picking):
        """{(package type, product): quantity} over the delivery's move lines, and the packages."""
        contents = {}
        for line in picking.move_line_ids:
            key = (line.result_package_id.package_type_id, line.product_id)
            contents[key] = contents.get(key, 0) + line.quantity
        return contents, picking.move_line_ids.result_package_id

    def test_a_kettle_and_two_headlamps_are_suggested_the_medium_box(self):
        # The kettle's shortest side (170 mm) is over the small box's (150 mm); the medium box takes everything.
        picking = self.delivery((self.kettle, 1), (self.headlamp, 2))

        picking.action_oms_suggest_boxes()

        self.assertEqual(len(picking.oms_box_ids), 1)
        box = picking.oms_box_ids
        self.assertEqual(box.package_type_id, self.box_m)
        self.assertEqual(box.contents, "1 × [OMS-001] Electric Kettle 1.7 L\n2 × [OMS-026] LED Headlamp 300 lm")
        self.assertAlmostEqual(box.weight, 0.30 + 1.2 + 2 * 0.09)
        self.assertAlmostEqual(picking.oms_box_cost, 0.95)
        self.assertFalse(picking.oms_box_note)
        self.assertFalse(picking.move_line_ids.result_package_id, "a suggestion packs nothing")

    def test_put_in_boxes_makes_the_packages_and_splits_a_product_over_two_boxes(self):
        # Four kettles stand in the large box; the fifth goes in a medium one (2.55 EUR, less than one XL at 2.90).
        picking = self.delivery((self.kettle, 5), (self.headlamp, 1))

        picking.action_oms_put_in_boxes()

        contents, packages = self.packed(picking)
        self.assertEqual(len(packages), 2)
        self.assertEqual(packages.package_type_id, self.box_l | self.box_m)
        large = packages.filtered(lambda package: package.package_type_id == self.box_l)
        medium = packages - large
        self.assertEqual(contents[(self.box_l, self.kettle)], 4)
        self.assertEqual(contents[(self.box_m, self.kettle)], 1)
        self.assertEqual(
            sum(quantity for (_type, product), quantity in contents.items() if product == self.headlamp), 1
        )
        self.assertEqual(len(picking.move_line_ids.filtered(lambda line: line.product_id == self.kettle)), 2)
        self.assertEqual(picking.move_ids.filtered(lambda move: move.product_id == self.kettle).quantity, 5)
        self.assertAlmostEqual(large.shipping_weight + medium.shipping_weight, 0.55 + 0.30 + 5 * 1.2 + 0.09)
        self.assertAlmostEqual(picking.shipping_weight, 0.55 + 0.30 + 5 * 1.2 + 0.09)
        self.assertEqual(picking.oms_box_ids.package_id, packages)
        self.assertAlmostEqual(picking.oms_box_cost, 2.55)
        self.assertIn("Box L", picking.message_ids[0].body)

        picking.action_oms_suggest_boxes()
        self.assertEqual(picking.oms_box_ids.package_id, packages, "the packed boxes stay listed")
        self.assertEqual(picking.oms_box_note, "Nothing left to put in boxes.")

        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(packages.location_id, self.customers, "the packages left with their contents")

    def test_products_without_dimensions_get_the_warning_and_no_package(self):
        picking = self.delivery((self.unmeasured, 2))

        picking.action_oms_suggest_boxes()

        self.assertFalse(picking.oms_box_ids)
        self.assertIn("No dimensions for [BOX-NODIM] Mystery Parcel: choose the box by hand.", picking.oms_box_note)
        with self.assertRaisesRegex(UserError, "No dimensions for"):
            picking.action_oms_put_in_boxes()
        self.assertFalse(picking.move_line_ids.result_package_id)

    def test_measured_products_are_boxed_beside_an_unmeasured_one(self):
        picking = self.delivery((self.unmeasured, 1), (self.headlamp, 3))

        picking.action_oms_put_in_boxes()

        contents, packages = self.packed(picking)
        self.assertEqual(
            contents, {(self.box_s, self.headlamp): 3, (self.env["stock.package.type"], self.unmeasured): 1}
        )
        self.assertEqual(len(packages), 1)
        self.assertIn("No dimensions for [BOX-NODIM] Mystery Parcel", picking.oms_box_note)

    def test_an_oversize_product_ships_alone_in_its_own_packaging(self):
        picking = self.delivery((self.family_tent, 1), (self.headlamp, 1))

        picking.action_oms_suggest_boxes()
        self.assertIn("[OMS-019] Family Tent, 6 persons is larger than every box: ships alone.", picking.oms_box_note)
        alone = picking.oms_box_ids.filtered("ships_alone")
        self.assertEqual((alone.name, alone.weight, alone.cost), ("Own packaging", 24.0, 0.0))

        picking.action_oms_put_in_boxes()
        contents, packages = self.packed(picking)
        self.assertEqual(
            contents, {(self.env["stock.package.type"], self.family_tent): 1, (self.box_s, self.headlamp): 1}
        )
        tent_package = packages.filtered(lambda package: not package.package_type_id)
        self.assertAlmostEqual(tent_package.shipping_weight, 24.0)

    def test_lisboa_keeps_no_xl_box_so_the_cooler_ships_alone_there(self):
        madrid = self.delivery((self.cooler, 1), reserve=False)
        lisboa = self.delivery((self.cooler, 1), warehouse=self.lisboa, reserve=False)

        (madrid | lisboa).action_oms_suggest_boxes()

        self.assertEqual(madrid.oms_box_ids.package_type_id, self.box_xl)
        self.assertTrue(lisboa.oms_box_ids.ships_alone)
        self.assertIn("larger than every box", lisboa.oms_box_note)

    def test_before_reservation_the_boxes_are_for_the_ordered_quantities(self):
        gnome = self.env["product.product"].create(
            {
                "name": "Garden Gnome",
                "is_storable": True,
                "company_id": self.company.id,
                "weight": 0.8,
                "product_length": 150,
                "product_width": 90,
                "product_height": 280,
            }
        )
        picking = self.delivery((gnome, 2), reserve=False)
        self.assertFalse(picking.move_line_ids, "nothing in stock")

        picking.action_oms_suggest_boxes()

        self.assertEqual(picking.oms_box_ids.package_type_id, self.box_s)
        self.assertEqual(picking.oms_box_ids.contents, "2 × Garden Gnome")
        self.assertIn("Nothing is reserved yet: the boxes are for the ordered quantities.", picking.oms_box_note)
        with self.assertRaisesRegex(UserError, "nothing to put in boxes"):
            picking.action_oms_put_in_boxes()

    def test_fewest_boxes_puts_five_kettles_in_one_xl_box(self):
        self.company.oms_box_objective = "fewest"
        picking = self.delivery((self.kettle, 5))

        picking.action_oms_suggest_boxes()

        self.assertEqual(picking.oms_box_ids.package_type_id, self.box_xl)
        self.assertAlmostEqual(picking.oms_box_cost, 2.90)

    def test_without_standard_boxes_the_packer_chooses(self):
        (self.box_s | self.box_m | self.box_l | self.box_xl).oms_box_choice = False
        picking = self.delivery((self.headlamp, 1))

        picking.action_oms_suggest_boxes()

        self.assertFalse(picking.oms_box_ids)
        self.assertIn("No standard boxes for Madrid", picking.oms_box_note)

    def test_an_oms_user_can_suggest_and_put_in_boxes(self):
        picking = self.delivery((self.headlamp, 2))
        user = self.env.ref("oms_intelligent.user_oms_user")

        picking.with_user(user).action_oms_put_in_boxes()

        self.assertEqual(picking.move_line_ids.result_package_id.package_type_id, self.box_s)
        self.assertEqual(picking.with_user(user).oms_box_ids.package_type_id, self.box_s)

    def test_oms_managers_configure_the_boxes_and_oms_users_only_read_them(self):
        user = self.env.ref("oms_intelligent.user_oms_user")
        manager = self.env.ref("oms_intelligent.user_oms_manager")

        self.assertEqual(self.box_s.with_user(user).oms_cost, 0.60)
        with self.assertRaises(AccessError):
            self.box_s.with_user(user).oms_cost = 0.10
        self.box_s.with_user(manager).write({"oms_cost": 0.70, "oms_warehouse_ids": [(6, 0, self.madrid.ids)]})
        self.assertEqual(self.box_s.oms_cost, 0.70)

    def test_box_choice_is_for_deliveries_only(self):
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.madrid.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.madrid.lot_stock_id.id,
            }
        )
        with self.assertRaisesRegex(UserError, "deliveries"):
            receipt.action_oms_suggest_boxes()
