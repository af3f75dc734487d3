"""The packing screen in the browser (static/tests/tours/pack_screen_tour.js); needs pytest's --odoo-http."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPackScreenUi(HttpCase):
    def test_packer_scans_a_delivery_and_validates_it_in_the_browser(self):
        company = self.env.ref("oms_intelligent.oms_company")
        madrid = self.env.ref("oms_intelligent.wh_madrid")
        kettle = self.env.ref("oms_intelligent.product_oms_001")
        customers = self.env.ref("stock.stock_location_customers")
        self.env["stock.quant"]._update_available_quantity(kettle, madrid.lot_stock_id, 5)
        madrid.out_type_id.oms_scan_required = True
        picking = (
            self.env["stock.picking"]
            .with_company(company)
            .create(
                {
                    "picking_type_id": madrid.out_type_id.id,
                    "origin": "OMS-PACK-TOUR",
                    "partner_id": self.env.ref("oms_intelligent.partner_customer_lucia_fernandez").id,
                    "location_id": madrid.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": kettle.name,
                                "product_id": kettle.id,
                                "product_uom_qty": 2,
                                "location_id": madrid.lot_stock_id.id,
                                "location_dest_id": customers.id,
                            },
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        self.env.ref("base.user_admin").tour_enabled = False
        self.start_tour("/odoo/action-oms_fulfillment.action_oms_pack", "oms_fulfillment_pack_screen", login="admin")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.quantity, 2)
        self.assertEqual(picking.oms_scan_refused_count, 3)
        self.assertTrue(any("Packed by" in body for body in picking.message_ids.mapped("body")))
