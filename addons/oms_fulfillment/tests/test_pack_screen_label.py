"""What the packing screen shows of a delivery's carrier (``oms_pack_state()["shipping"]``): the label and papers to
print, the tracking numbers and page, Buy Label before the label, the carrier's error with its Retry."""

from odoo import Command
from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress
from odoo.tests import new_test_user, tagged

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestPackScreenLabel(CarrierCase):
    def shipping(self, picking):
        return picking.oms_pack_state()["shipping"]

    def attachment(self, name, picking):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id), ("name", "=", name)]
        )

    def test_an_oms_carrier_without_a_label_offers_buy_label(self):
        shipping = self.shipping(self.delivery(carrier=self.rest))
        self.assertEqual(shipping["carrier"], "Parcel REST")
        self.assertEqual(shipping["tracking_numbers"], [])
        self.assertIsNone(shipping["label"])
        self.assertTrue(shipping["can_buy_label"])
        self.assertFalse(shipping["error"])

    def test_a_bought_label_is_printable_from_its_attachment(self):
        picking = self.delivery(carrier=self.rest)
        picking.action_oms_buy_label()
        shipping = self.shipping(picking)
        label = self.attachment("LabelShipping-oms_rest-RST000001.pdf", picking)
        self.assertEqual(shipping["label"]["url"], f"/web/content/{label.id}")
        self.assertEqual(shipping["label"]["name"], label.name)
        self.assertEqual(shipping["tracking_numbers"], ["RST000001"])
        self.assertEqual(shipping["tracking_url"], "https://track.example.com/rest/RST000001")
        self.assertFalse(shipping["can_buy_label"], "one label per delivery")
        self.assertEqual(shipping["papers"], [])

    def test_validating_shows_the_label_bought_at_once(self):
        picking = self.delivery(carrier=self.soap)
        self.validate(picking)
        state = picking.oms_pack_state()
        self.assertEqual(state["state"], "done")
        self.assertEqual(state["shipping"]["label"]["name"], "LabelShipping-oms_soap-SOA000001.pdf")

    def test_a_shipped_delivery_is_found_again_to_reprint_its_label_but_not_one_without_label(self):
        Picking = self.env["stock.picking"]
        shipped = self.delivery(carrier=self.soap)
        self.validate(shipped)
        self.assertEqual(Picking.oms_pack_find(shipped.name), {"picking_id": shipped.id})
        self.assertEqual(shipped.oms_pack_state()["shipping"]["label"]["name"], "LabelShipping-oms_soap-SOA000001.pdf")
        unlabelled = self.delivery()
        self.validate(unlabelled)
        self.assertEqual(
            Picking.oms_pack_find(unlabelled.name), {"message": f"{unlabelled.name} is done: there is nothing to pack."}
        )

    def test_a_carrier_failure_on_validation_shows_its_error_and_retry_validates(self):
        picking = self.delivery(carrier=self.rest)
        self.rest_server.fail_next(1, 503, "maintenance")
        self.validate(picking)
        shipping = self.shipping(picking)
        self.assertIn("answered 503 (maintenance)", shipping["error"])
        self.assertTrue(shipping["retry_validates"])
        self.assertFalse(shipping["can_buy_label"], "Retry, not Buy Label")
        self.assertIsNone(shipping["label"])
        picking.action_oms_retry_carrier()
        state = picking.oms_pack_state()
        self.assertEqual(state["state"], "done")
        self.assertFalse(state["shipping"]["error"])
        self.assertTrue(state["shipping"]["label"])

    def test_a_cancelled_label_is_not_printed_again(self):
        picking = self.delivery(carrier=self.rest)
        picking.action_oms_buy_label()
        picking.cancel_shipment()
        self.assertIsNone(self.shipping(picking)["label"], "no label while the delivery has none")
        self.assertTrue(self.shipping(picking)["can_buy_label"])
        picking.action_oms_buy_label()
        new_label = self.attachment(f"LabelShipping-oms_rest-{picking.carrier_tracking_ref}.pdf", picking)
        self.assertNotEqual(picking.carrier_tracking_ref, "RST000001")
        self.assertEqual(self.shipping(picking)["label"]["id"], new_label.id)

    def test_odoos_own_carriers_show_the_carrier_without_label_buttons(self):
        shipping = self.shipping(self.delivery(carrier=self.standard))
        self.assertEqual(shipping["carrier"], self.standard.name)
        self.assertFalse(shipping["can_buy_label"])
        self.assertIsNone(shipping["label"])
        self.assertIsNone(self.shipping(self.delivery()), "no carrier, no panel")

    def test_a_packer_sees_the_labels_a_packer_may_open(self):
        picking = self.delivery(carrier=self.rest)
        picking.action_oms_buy_label()
        packer = new_test_user(
            self.env,
            "pack_label_packer",
            groups="stock.group_stock_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        label = picking.with_user(packer).oms_pack_state()["shipping"]["label"]
        attachment = self.env["ir.attachment"].with_user(packer).browse(label["id"])
        self.assertTrue(attachment.raw.startswith(b"%PDF"), "the packer reads the PDF /web/content serves")


@tagged("post_install", "-at_install")
class TestPackScreenCarrierPapers(CarrierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kettle.product_tmpl_id.write({"hs_code": "851610", "country_of_origin": cls.env.ref("base.cn").id})
        cls.oliver.phone = "+44 20 7946 0000"
        cls.dhl = cls.env["delivery.carrier"].create(
            {
                "name": "DHL Express",
                "delivery_type": "oms_dhl_express",
                "product_id": cls._shipping_product("DHL Express").id,
                "oms_timeout": 2.0,
                "oms_default_package_type_id": cls.env.ref("oms_fulfillment.package_type_box_s").id,
                "country_ids": [Command.set(cls.env.ref("base.uk").ids)],
            }
        )

    def setUp(self):
        super().setUp()
        server = self.enterContext(LocalDhlExpress())
        self.dhl.write(
            {
                "oms_api_key": server.api_key,
                "oms_api_secret": server.api_secret,
                "oms_account": server.account,
                "oms_service_url": server.url,
            }
        )

    def test_a_shipment_outside_the_eu_prints_its_commercial_invoice_too(self):
        picking = self.delivery(partner=self.oliver, carrier=self.dhl)
        self.assertIs(self.validate(picking), True, picking.oms_carrier_error)
        shipping = picking.oms_pack_state()["shipping"]
        number = picking.carrier_tracking_ref
        self.assertEqual(shipping["label"]["name"], f"LabelShipping-oms_dhl_express-{number}.pdf")
        self.assertEqual(
            [(paper["title"], paper["name"]) for paper in shipping["papers"]],
            [("Commercial Invoice", f"ShippingDoc-oms_dhl_express-{number}-commercial_invoice.pdf")],
        )
        self.assertTrue(all(paper["url"].startswith("/web/content/") for paper in shipping["papers"]))
