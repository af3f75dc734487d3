"""Labels on the packing screen in the browser (static/tests/tours/pack_screen_label_tour.js), against a carrier's
stand-in on 127.0.0.1; needs pytest's --odoo-http."""

from odoo import Command
from odoo.addons.oms_fulfillment.stand_ins.rest_carrier import LocalRestCarrier
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPackScreenLabelUi(HttpCase):
    def setUp(self):
        super().setUp()
        self.carrier_server = self.enterContext(
            LocalRestCarrier(api_key="rest-key", account="ACC-REST", base_price=2.0, price_per_kg=0.5, transit_days=3)
        )
        company = self.env.ref("oms_intelligent.oms_company")
        self.madrid = self.env.ref("oms_intelligent.wh_madrid")
        self.madrid.out_type_id.write({"oms_scan_required": True, "print_label": True})
        self.carrier = self.env["delivery.carrier"].create(
            {
                "name": "Parcel REST",
                "delivery_type": "oms_rest",
                "company_id": company.id,
                "product_id": self.env["product.product"]
                .create({"name": "Parcel REST", "type": "service", "company_id": company.id})
                .id,
                "oms_account": "ACC-REST",
                "oms_api_key": "rest-key",
                "oms_service_code": "STANDARD",
                "oms_service_url": self.carrier_server.url,
                "tracking_url": "https://track.example.com/rest/<shipmenttrackingnumber>",
                "country_ids": [Command.set(self.env.ref("base.es").ids)],
            }
        )
        self.kettle = self.env.ref("oms_intelligent.product_oms_001")
        self.env["stock.quant"]._update_available_quantity(self.kettle, self.madrid.lot_stock_id, 5)

    def delivery(self, reference):
        """A ready delivery of one kettle from Madrid, sold to Lucía, shipped by Parcel REST."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env.ref("oms_intelligent.partner_customer_lucia_fernandez").id,
                "company_id": self.madrid.company_id.id,
                "warehouse_id": self.madrid.id,
                "order_line": [Command.create({"product_id": self.kettle.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.write({"origin": reference, "carrier_id": self.carrier.id})
        self.assertEqual(picking.state, "assigned")
        return picking

    def test_packer_prints_the_label_and_retries_a_failing_carrier_in_the_browser(self):
        first = self.delivery("OMS-LABEL-TOUR-1")
        second = self.delivery("OMS-LABEL-TOUR-2")
        self.carrier_server.fail_next(1, 503, "maintenance")
        self.env.ref("base.user_admin").tour_enabled = False
        self.start_tour(
            "/odoo/action-oms_fulfillment.action_oms_pack", "oms_fulfillment_pack_screen_label", login="admin"
        )
        self.assertEqual((first.state, second.state), ("done", "done"))
        self.assertEqual((first.carrier_tracking_ref, second.carrier_tracking_ref), ("RST000001", "RST000002"))
        self.assertEqual(len(self.carrier_server.shipments), 2, "one label per delivery")
        self.assertFalse(first.oms_carrier_error)
        self.assertIn("The delivery was not validated", "".join(first.message_ids.mapped("body")))
