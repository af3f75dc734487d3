"""The demo carriers of OMS Iberia: a weight-based domestic express and a flat-rate European service."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCarriers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.express = cls.env.ref("oms_fulfillment.carrier_iberia_express")
        cls.standard = cls.env.ref("oms_fulfillment.carrier_europa_standard")
        cls.dome_tent = cls.env.ref("oms_intelligent.product_oms_018")  # 2.6 kg
        cls.family_tent = cls.env.ref("oms_intelligent.product_oms_019")  # 24 kg
        cls.kettle = cls.env.ref("oms_intelligent.product_oms_001")  # 1.2 kg
        cls.dining_set = cls.env.ref("oms_intelligent.product_oms_029")  # 48 kg
        cls.headlamp = cls.env.ref("oms_intelligent.product_oms_026")  # 0.09 kg

    def _order(self, customer_xmlid, *lines):
        return (
            self.env["sale.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.env.ref(customer_xmlid).id,
                    "company_id": self.company.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines
                    ],
                }
            )
        )

    def _spanish_order(self, *lines):
        return self._order("oms_intelligent.partner_customer_lucia_fernandez", *lines)

    def test_carriers_belong_to_oms_iberia_with_their_service_product(self):
        for carrier in self.express | self.standard:
            self.assertEqual(carrier.company_id, self.company, carrier.name)
            self.assertEqual(carrier.product_id.type, "service", carrier.name)
        self.assertEqual(self.express.delivery_type, "base_on_rule")
        self.assertEqual(self.standard.delivery_type, "fixed")
        self.assertEqual(set(self.express.country_ids.mapped("code")), {"ES", "PT"})
        self.assertEqual(set(self.standard.country_ids.mapped("code")), {"ES", "PT", "FR", "GB"})

    def test_iberia_express_costs_more_for_a_25_kg_order_than_a_5_kg_one(self):
        order_5kg = self._spanish_order((self.dome_tent, 2))  # 5.2 kg
        order_25kg = self._spanish_order((self.family_tent, 1), (self.kettle, 1))  # 25.2 kg
        self.assertAlmostEqual(order_5kg.shipping_weight, 5.2)
        price_5kg = self.express._get_price_available(order_5kg)
        price_25kg = self.express._get_price_available(order_25kg)
        self.assertAlmostEqual(price_5kg, 7.90)
        self.assertAlmostEqual(price_25kg, 14.90)
        self.assertNotEqual(price_5kg, price_25kg)

    def test_iberia_express_has_a_price_for_parcels_and_for_heavy_goods(self):
        self.assertAlmostEqual(self.express._get_price_available(self._spanish_order((self.headlamp, 1))), 4.90)
        self.assertAlmostEqual(self.express._get_price_available(self._spanish_order((self.dining_set, 1))), 29.90)

    def test_iberia_express_is_offered_in_portugal_but_not_in_the_uk(self):
        portugal = self._order("oms_intelligent.partner_customer_joao_pereira", (self.dome_tent, 1))
        uk = self._order("oms_intelligent.partner_customer_oliver_smith", (self.dome_tent, 1))
        self.assertTrue(self.express._is_available_for_order(portugal))
        self.assertFalse(self.express._is_available_for_order(uk))
        self.assertFalse(self.express.rate_shipment(uk)["success"])
        self.assertTrue(self.standard._is_available_for_order(uk))

    def test_europa_standard_charges_the_same_whatever_the_weight(self):
        light = self.standard.rate_shipment(self._spanish_order((self.dome_tent, 2)))
        heavy = self.standard.rate_shipment(self._spanish_order((self.family_tent, 1), (self.kettle, 1)))
        self.assertTrue(light["success"] and heavy["success"])
        self.assertAlmostEqual(light["price"], 12.90)
        self.assertAlmostEqual(heavy["price"], 12.90)

    def test_every_demo_carrier_gives_a_transit_time(self):
        self.assertEqual(self.express.oms_transit_days, 1)
        self.assertEqual(self.standard.oms_transit_days, 4)

    def test_the_web_service_carriers_are_archived_test_endpoints_on_localhost(self):
        carriers = self.env.ref("oms_fulfillment.carrier_oms_rest_test") | self.env.ref(
            "oms_fulfillment.carrier_oms_soap_test"
        )
        self.assertEqual(set(carriers.mapped("delivery_type")), {"oms_rest", "oms_soap"})
        for carrier in carriers:
            self.assertFalse(carrier.active, carrier.name)
            self.assertIn("test endpoint", carrier.name)
            self.assertTrue(carrier.oms_service_url.startswith("http://127.0.0.1:"), carrier.name)
            self.assertEqual(carrier.company_id, self.company)
            self.assertGreater(carrier.oms_transit_days, 0)

    def test_sendcloud_dhl_express_and_correos_wait_archived_for_the_merchants_account(self):
        carriers = (
            self.env.ref("oms_fulfillment.carrier_sendcloud")
            | self.env.ref("oms_fulfillment.carrier_dhl_express")
            | self.env.ref("oms_fulfillment.carrier_correos")
        )
        self.assertEqual(carriers.mapped("delivery_type"), ["oms_sendcloud", "oms_dhl_express", "oms_correos"])
        for carrier in carriers:
            self.assertFalse(carrier.active, carrier.name)
            self.assertEqual(carrier.company_id, self.company, carrier.name)
            self.assertEqual(carrier.oms_default_package_type_id.name, "Box M", carrier.name)
            self.assertFalse(carrier.oms_api_secret, carrier.name)
            # Test Connection names what the carrier's account lacks, without calling anyone.
            result = carrier.action_oms_test_connection()
            self.assertEqual(result["params"]["type"], "danger", carrier.name)
            self.assertIn("Connection to", result["params"]["title"])
        self.assertFalse(carriers[1].prod_environment, "DHL Express starts on its test environment")
