"""The packing screen: the packer scans every item of a delivery of OMS Iberia; the server refuses what is not in the
order, more than ordered and unknown barcodes, and the delivery is validated only once everything is scanned."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

KETTLE_BARCODE = "8437021000016"  # [OMS-001] Electric Kettle 1.7 L
ESPRESSO_BARCODE = "8437021000023"  # [OMS-002] Stovetop Espresso Maker 6-Cup
KETTLE_BOX_BARCODE = "98437021000016"


@tagged("post_install", "-at_install")
class TestPackScan(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.delivery_type = cls.madrid.out_type_id
        cls.delivery_type.oms_scan_required = True
        cls.kettle = cls.env.ref("oms_intelligent.product_oms_001")
        cls.espresso = cls.env.ref("oms_intelligent.product_oms_002")
        cls.not_ordered = cls.env.ref("oms_intelligent.product_oms_003")
        cls.customer = cls.env.ref("oms_intelligent.partner_customer_lucia_fernandez")
        for product in cls.kettle | cls.espresso:
            cls.env["stock.quant"]._update_available_quantity(product, cls.madrid.lot_stock_id, 20)
        cls.kettle_box = cls.env["product.packaging"].create(
            {
                "name": "Box of 2",
                "product_id": cls.kettle.id,
                "qty": 2,
                "barcode": KETTLE_BOX_BARCODE,
                "company_id": cls.company.id,
            }
        )

    def delivery(self, *lines):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.delivery_type.id,
                "partner_id": self.customer.id,
                "location_id": self.madrid.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": self.madrid.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        },
                    )
                    for product, quantity in lines
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        return picking

    def scanned(self, picking):
        return {move.product_id.default_code: move.oms_scanned_qty for move in picking.move_ids}

    def assertRefused(self, answer, message):
        self.assertFalse(answer["accepted"], answer["message"])
        self.assertEqual(answer["message"], message)

    # --------------------------------------------------------------------------------------------------------------

    def test_scanning_is_switched_on_per_operation_type(self):
        new_warehouse = self.env["stock.warehouse"].create(
            {"name": "Valencia", "code": "VLC", "company_id": self.company.id}
        )
        self.assertFalse(new_warehouse.out_type_id.oms_scan_required, "off until a manager asks for it")
        picking = self.delivery((self.kettle, 1))
        self.assertTrue(picking.oms_scan_required, "on for Madrid's deliveries in these tests")

    def test_scanning_every_barcode_and_sku_completes_the_delivery(self):
        picking = self.delivery((self.kettle, 2), (self.espresso, 1))
        answer = picking.oms_scan(KETTLE_BARCODE)
        self.assertTrue(answer["accepted"])
        self.assertEqual(answer["message"], "[OMS-001] Electric Kettle 1.7 L: 1 of 2 scanned.")
        self.assertEqual(answer["move_id"], picking.move_ids.filtered(lambda move: move.product_id == self.kettle).id)
        self.assertFalse(answer["picking"]["complete"])
        answer = picking.oms_scan(" oms-001 ")  # a SKU typed by hand, in any case
        self.assertTrue(answer["accepted"])
        self.assertEqual(answer["message"], "[OMS-001] Electric Kettle 1.7 L: 2 of 2 scanned.")
        self.assertFalse(picking.oms_scan_complete)
        answer = picking.oms_scan(ESPRESSO_BARCODE)
        self.assertTrue(answer["accepted"])
        self.assertIn("Everything is scanned", answer["message"])
        self.assertTrue(answer["picking"]["complete"])
        self.assertTrue(answer["picking"]["can_validate"])
        self.assertEqual([line["complete"] for line in answer["picking"]["lines"]], [True, True])
        self.assertEqual(self.scanned(picking), {"OMS-001": 2, "OMS-002": 1})
        self.assertTrue(picking.oms_scan_complete)
        self.assertIn("3 items scanned, no refused scan", picking.message_ids[0].body)

        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.mapped("quantity"), [2, 1])
        self.assertTrue(all(picking.move_ids.mapped("picked")))

    def test_the_scanned_quantities_are_the_quantities_shipped(self):
        picking = self.delivery((self.kettle, 2))
        picking.move_ids.quantity = 1  # someone changed the reserved quantity on the transfer
        picking.oms_scan(KETTLE_BARCODE)
        picking.oms_scan(KETTLE_BARCODE)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.quantity, 2)
        self.assertFalse(picking.backorder_ids)

    def test_a_product_not_in_the_order_is_refused_and_changes_nothing(self):
        picking = self.delivery((self.kettle, 2))
        picking.oms_scan(KETTLE_BARCODE)
        answer = picking.oms_scan(self.not_ordered.barcode)
        self.assertRefused(answer, f"{self.not_ordered.display_name} is not in this order.")
        self.assertEqual(self.scanned(picking), {"OMS-001": 1})
        self.assertEqual(picking.oms_scan_refused_count, 1)
        self.assertEqual(answer["picking"]["refused"], 1)
        self.assertRefused(picking.oms_scan("OMS-003"), f"{self.not_ordered.display_name} is not in this order.")

    def test_an_excess_unit_is_refused_and_changes_nothing(self):
        picking = self.delivery((self.kettle, 1), (self.espresso, 1))
        self.assertTrue(picking.oms_scan(KETTLE_BARCODE)["accepted"])
        answer = picking.oms_scan(KETTLE_BARCODE)
        self.assertRefused(answer, "All 1 of [OMS-001] Electric Kettle 1.7 L are already scanned.")
        self.assertEqual(self.scanned(picking), {"OMS-001": 1, "OMS-002": 0})
        picking.oms_scan(ESPRESSO_BARCODE)
        self.assertIn("Packed by", picking.message_ids[0].body)
        self.assertIn("2 items scanned, 1 refused scan.", picking.message_ids[0].body)

    def test_an_unknown_barcode_is_refused_and_changes_nothing(self):
        picking = self.delivery((self.kettle, 2))
        self.assertRefused(picking.oms_scan("0000000000000"), "No product with barcode 0000000000000.")
        self.assertRefused(picking.oms_scan(""), "Scan a barcode, or type a SKU.")
        self.assertEqual(self.scanned(picking), {"OMS-001": 0})
        self.assertEqual(picking.oms_scan_refused_count, 1, "an empty scan is not counted as refused")

    def test_a_packaging_barcode_counts_its_quantity(self):
        picking = self.delivery((self.kettle, 3))
        answer = picking.oms_scan(KETTLE_BOX_BARCODE)
        self.assertTrue(answer["accepted"])
        self.assertEqual(answer["message"], "Box of 2: 2 more. [OMS-001] Electric Kettle 1.7 L: 2 of 3 scanned.")
        self.assertEqual(self.scanned(picking), {"OMS-001": 2})
        self.assertRefused(
            picking.oms_scan(KETTLE_BOX_BARCODE),
            "Box of 2 holds 2 of [OMS-001] Electric Kettle 1.7 L, but only 1 are left to scan: open it and scan "
            "the items one by one.",
        )
        self.assertEqual(self.scanned(picking), {"OMS-001": 2})
        self.assertTrue(picking.oms_scan(KETTLE_BARCODE)["accepted"])
        self.assertTrue(picking.oms_scan_complete)

    def test_validation_is_refused_until_everything_is_scanned(self):
        picking = self.delivery((self.kettle, 2), (self.espresso, 1))
        with self.assertRaises(UserError) as refusal:
            picking.button_validate()
        self.assertIn(f"{picking.name} cannot be validated before every item is scanned", str(refusal.exception))
        picking.oms_scan(KETTLE_BARCODE)
        with self.assertRaises(UserError) as refusal:
            picking.button_validate()
        message = str(refusal.exception)
        self.assertIn("- 1 × [OMS-001] Electric Kettle 1.7 L", message)
        self.assertIn("- 1 × [OMS-002] Stovetop Espresso Maker 6-Cup", message)
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(any(picking.move_ids.mapped("picked")))

        picking.oms_scan(KETTLE_BARCODE)
        picking.oms_scan(ESPRESSO_BARCODE)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_validation_works_without_scanning_when_the_option_is_off(self):
        self.delivery_type.oms_scan_required = False
        picking = self.delivery((self.kettle, 2))
        self.assertFalse(picking.oms_pack_state()["scan_required"])
        self.assertTrue(picking.oms_pack_state()["can_validate"])
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.quantity, 2)

    def test_a_lot_tracked_product_is_left_to_the_transfer(self):
        torch = self.env["product.product"].create(
            {
                "name": "Lot Torch",
                "default_code": "LOT-TORCH",
                "barcode": "LOTTORCH001",
                "is_storable": True,
                "tracking": "lot",
                "company_id": self.company.id,
            }
        )
        lot = self.env["stock.lot"].create({"name": "L-001", "product_id": torch.id, "company_id": self.company.id})
        self.env["stock.quant"]._update_available_quantity(torch, self.madrid.lot_stock_id, 5, lot_id=lot)
        picking = self.delivery((self.kettle, 1), (torch, 2))
        self.assertRefused(
            picking.oms_scan("LOTTORCH001"),
            "[LOT-TORCH] Lot Torch is tracked by lots or serial numbers, which the packing screen does not scan: "
            "set them on the transfer.",
        )
        self.assertEqual([line["tracked"] for line in picking.oms_pack_state()["lines"]], [False, True])
        picking.oms_scan(KETTLE_BARCODE)
        self.assertTrue(picking.oms_scan_complete)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.filtered(lambda line: line.product_id == torch).lot_id, lot)

    def test_clearing_the_scans_starts_the_count_again(self):
        picking = self.delivery((self.kettle, 2))
        picking.oms_scan(KETTLE_BARCODE)
        picking.oms_scan("0000000000000")
        answer = picking.oms_scan_reset()
        self.assertEqual(self.scanned(picking), {"OMS-001": 0})
        self.assertEqual(answer["picking"]["refused"], 0)
        self.assertIn("Scans cleared by", picking.message_ids[0].body)

    def test_a_done_delivery_is_not_scanned_again(self):
        picking = self.delivery((self.kettle, 1))
        picking.oms_scan(KETTLE_BARCODE)
        picking.button_validate()
        answer = picking.oms_scan(KETTLE_BARCODE)
        self.assertRefused(answer, f"{picking.name} is done: there is nothing to pack.")
        self.assertEqual(self.scanned(picking), {"OMS-001": 1})

    def test_the_delivery_to_pack_is_found_by_its_reference_or_its_order(self):
        picking = self.delivery((self.kettle, 1))
        Picking = self.env["stock.picking"]
        self.assertEqual(Picking.oms_pack_find(picking.name), {"picking_id": picking.id})
        self.assertEqual(Picking.oms_pack_find(picking.name.lower()), {"picking_id": picking.id})
        picking.origin = "S-PACK-TEST"
        self.assertEqual(Picking.oms_pack_find("S-PACK-TEST"), {"picking_id": picking.id})
        self.assertEqual(Picking.oms_pack_find("NOPE/42"), {"message": "No delivery with reference NOPE/42."})
        self.assertIn(picking.id, [delivery["id"] for delivery in Picking.oms_pack_queue(limit=1000)])
        action = picking.action_oms_pack()
        self.assertEqual(action["tag"], "oms_fulfillment.pack_screen")
        self.assertEqual(action["context"], {"active_id": picking.id})

    def test_an_oms_user_scans_and_validates(self):
        packer = new_test_user(
            self.env,
            login="oms_packer",
            groups="base.group_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        picking = self.delivery((self.kettle, 1)).with_user(packer)
        self.assertTrue(picking.oms_scan(KETTLE_BARCODE)["accepted"])
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertTrue(
            any(f"Packed by {packer.name}: 1 item scanned" in body for body in picking.message_ids.mapped("body"))
        )
