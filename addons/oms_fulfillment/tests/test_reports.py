"""The packing slip (per package, no prices) and the delivery receipt for the customer to sign."""

from odoo.tests import tagged

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestFulfillmentReports(CarrierCase):
    def render(self, xmlid, picking):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(xmlid, picking.ids)
        return html.decode()

    def test_the_packing_slip_lists_each_package_and_no_prices(self):
        picking = self.delivery(quantity=3)
        first = picking.move_line_ids
        first.quantity = 2
        first.picked = True
        picking.action_put_in_pack()
        self.assertTrue(first.result_package_id)
        picking.move_ids.quantity = 3  # one more kettle, left out of the box
        self.assertEqual(len(picking.move_line_ids), 2)
        picking.carrier_id = self.express
        html = self.render("oms_fulfillment.action_report_packing_slip", picking)
        # In the customer's language: Lucía is Spanish.
        self.assertIn("Albarán de empaquetado", html)
        self.assertIn(first.result_package_id.name, html)
        self.assertIn("Sin empaquetar", html)
        self.assertIn("CT-KETTLE", html)
        self.assertIn("Iberia Express", html)
        self.assertNotIn("30,00", html, "no prices on a packing slip")
        self.assertNotIn("30.00", html)

    def test_the_packing_slip_of_an_unpacked_delivery_lists_its_products(self):
        picking = self.delivery(quantity=2)
        html = self.render("oms_fulfillment.action_report_packing_slip", picking)
        self.assertIn("Carrier Test Kettle", html)
        self.assertIn("Albarán de empaquetado", html)
        self.assertNotIn("Sin empaquetar", html, "nothing is in a package, so no 'not packed' part")

    def test_the_delivery_receipt_has_room_for_the_customers_signature(self):
        picking = self.delivery(self.oliver, quantity=2, carrier=self.rest)
        self.validate(picking)
        html = self.render("oms_fulfillment.action_report_delivery_receipt", picking)
        self.assertIn("Delivery Receipt", html)
        self.assertIn("I have received the goods listed above in good condition.", html)
        self.assertIn("Signature", html)
        self.assertIn("RST000001", html)

    def test_both_reports_are_in_the_print_menu_of_transfers(self):
        for xmlid in ("oms_fulfillment.action_report_packing_slip", "oms_fulfillment.action_report_delivery_receipt"):
            report = self.env.ref(xmlid)
            self.assertEqual(report.binding_model_id.model, "stock.picking")
            self.assertEqual(report.binding_type, "report")
