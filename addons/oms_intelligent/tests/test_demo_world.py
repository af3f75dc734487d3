"""The demo world (demo data of oms_intelligent) is what later features and a first-time user rely on:
a Spanish company in EUR with four geolocated warehouses, uneven stock, products ready for shipping
calculations, customers across Europe, orders in every state and one user per access level.
"""

from odoo.tests import TransactionCase, tagged
from odoo.tools.barcode import check_barcode_encoding

WAREHOUSES = {
    "MAD": "oms_intelligent.wh_madrid",
    "BCN": "oms_intelligent.wh_barcelona",
    "SVQ": "oms_intelligent.wh_sevilla",
    "LIS": "oms_intelligent.wh_lisboa",
}


@tagged("post_install", "-at_install")
class TestDemoWorld(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.warehouses = {code: cls.env.ref(xmlid) for code, xmlid in WAREHOUSES.items()}
        demo_data = cls.env["ir.model.data"].search([("module", "=", "oms_intelligent")])
        cls.demo_partners = cls.env["res.partner"].browse(
            demo_data.filtered(lambda d: d.model == "res.partner" and d.name.startswith("partner_customer_")).mapped(
                "res_id"
            )
        )
        cls.customers = cls.demo_partners.filtered(lambda p: not p.parent_id)

    def _on_hand(self, product, code):
        return product.with_company(self.company).with_context(warehouse_id=self.warehouses[code].id).qty_available

    # -------------------------------------------------------------- company

    def test_company_is_spanish_in_euros_with_a_chart_of_accounts(self):
        self.assertEqual(self.company.name, "OMS Iberia S.L.")
        self.assertEqual(self.company.country_id.code, "ES")
        self.assertEqual(self.company.city, "Madrid")
        self.assertEqual(self.company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(self.company.chart_template, "generic_coa")
        journal_types = set(self.env["account.journal"].search([("company_id", "=", self.company.id)]).mapped("type"))
        self.assertTrue({"sale", "purchase", "bank"} <= journal_types, journal_types)
        self.assertTrue(self.company.account_sale_tax_id, "products need a default sales tax to invoice")

    def test_admin_logs_into_the_demo_company(self):
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.company_id, self.company)
        self.assertIn(self.company, admin.company_ids)

    def test_usd_and_gbp_are_active_at_the_company_rates(self):
        eur, usd, gbp = (self.env.ref(f"base.{code}") for code in ("EUR", "USD", "GBP"))
        self.assertTrue(usd.active and gbp.active)
        self.assertAlmostEqual(eur._convert(100.0, usd, self.company, "2025-06-01"), 108.0)
        self.assertAlmostEqual(eur._convert(100.0, gbp, self.company, "2025-06-01"), 86.0)

    def test_company_has_a_pricelist_per_currency_eur_first(self):
        pricelists = self.env["product.pricelist"].search([("company_id", "=", self.company.id)])
        self.assertEqual(set(pricelists.currency_id.mapped("name")), {"EUR", "USD", "GBP"})
        self.assertEqual(pricelists[0].currency_id.name, "EUR", "EUR is the default (first) pricelist")

    # -------------------------------------------------------------- warehouses and stock

    def test_company_has_exactly_the_four_warehouses_with_coordinates(self):
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)])
        self.assertEqual(sorted(warehouses.mapped("code")), ["BCN", "LIS", "MAD", "SVQ"])
        self.assertEqual(warehouses, self.env["stock.warehouse"].concat(*self.warehouses.values()))
        for warehouse in warehouses:
            partner = warehouse.partner_id
            self.assertTrue(partner.street and partner.city, warehouse.name)
            # Inside the Iberian peninsula, so not left at 0.0 nor swapped.
            self.assertTrue(36.0 < partner.partner_latitude < 44.0, (warehouse.name, partner.partner_latitude))
            self.assertTrue(-9.6 < partner.partner_longitude < 3.4, (warehouse.name, partner.partner_longitude))
        self.assertEqual(self.warehouses["LIS"].partner_id.country_id.code, "PT")
        self.assertEqual(self.warehouses["BCN"].partner_id.city, "Barcelona")

    def test_same_product_has_different_stock_in_each_warehouse(self):
        kettle = self.env.ref("oms_intelligent.product_oms_001")
        on_hand = {code: self._on_hand(kettle, code) for code in self.warehouses}
        self.assertEqual(on_hand, {"MAD": 50.0, "BCN": 0.0, "SVQ": 3.0, "LIS": 20.0})

    def test_some_products_are_out_of_stock_somewhere_or_everywhere(self):
        floor_lamp = self.env.ref("oms_intelligent.product_oms_013")
        self.assertEqual([self._on_hand(floor_lamp, code) for code in self.warehouses], [0.0] * 4)
        cork_mat = self.env.ref("oms_intelligent.product_oms_033")
        stocked_in = [code for code in self.warehouses if self._on_hand(cork_mat, code) > 0]
        self.assertEqual(stocked_in, ["LIS"])
        products = self._storable_products()
        missing_somewhere = products.filtered(
            lambda p: any(self._on_hand(p, code) == 0 for code in self.warehouses)
            and any(self._on_hand(p, code) > 0 for code in self.warehouses)
        )
        self.assertGreaterEqual(len(missing_somewhere), 10)

    # -------------------------------------------------------------- products

    def _storable_products(self):
        return self.env["product.product"].search(
            [("company_id", "=", self.company.id), ("is_storable", "=", True), ("default_code", "=like", "OMS-%")]
        )

    def test_at_least_30_storable_products_ready_to_ship(self):
        products = self._storable_products()
        self.assertGreaterEqual(len(products), 30)
        self.assertEqual(len(set(products.mapped("default_code"))), len(products), "SKUs are unique")
        self.assertEqual(len(set(products.mapped("barcode"))), len(products), "barcodes are unique")
        for product in products:
            self.assertTrue(check_barcode_encoding(product.barcode or "", "ean13"), product.default_code)
            self.assertGreater(product.weight, 0, product.default_code)
            self.assertTrue(
                product.product_length and product.product_width and product.product_height, product.default_code
            )
            self.assertGreater(product.list_price, product.with_company(self.company).standard_price)
            self.assertTrue(product.categ_id.parent_id, "a category of the shop, not the bare 'All'")
            seller = product.seller_ids[:1]
            self.assertTrue(seller.partner_id and seller.price > 0 and seller.delay > 0, product.default_code)

    def test_products_include_bulky_and_small_items(self):
        products = self._storable_products()
        bulky = products.filtered(lambda p: p.weight > 20)
        small = products.filtered(lambda p: p.weight < 0.15)
        self.assertGreaterEqual(len(bulky), 2)
        self.assertTrue(all(max(p.product_length, p.product_width, p.product_height) >= 700 for p in bulky))
        self.assertGreaterEqual(len(small), 1)
        self.assertTrue(all(p.product_length <= 150 for p in small))

    def test_products_come_from_several_vendors_with_lead_times(self):
        sellers = self._storable_products().seller_ids
        self.assertGreaterEqual(len(sellers.partner_id), 2)
        self.assertGreater(max(sellers.mapped("delay")), min(sellers.mapped("delay")), "lead times differ")

    # -------------------------------------------------------------- customers

    def test_at_least_15_customers_across_spain_portugal_france_and_uk(self):
        self.assertGreaterEqual(len(self.customers), 15)
        self.assertEqual(set(self.customers.country_id.mapped("code")), {"ES", "PT", "FR", "GB"})
        for customer in self.customers:
            self.assertTrue(
                customer.street and customer.zip and customer.city and customer.email and customer.phone,
                customer.name,
            )
            self.assertTrue(35.0 < customer.partner_latitude < 60.0, (customer.name, customer.partner_latitude))
            self.assertTrue(-10.0 < customer.partner_longitude < 6.0, (customer.name, customer.partner_longitude))
        self.assertTrue(self.customers.filtered(lambda c: not c.is_company), "some customers are persons")

    def test_b2b_customers_have_vat_payment_terms_credit_limit_and_a_contact(self):
        b2b = self.customers.filtered("is_company").with_company(self.company)
        self.assertGreaterEqual(len(b2b), 4)
        for customer in b2b:
            self.assertTrue(customer.vat, customer.name)
            self.assertTrue(customer.property_payment_term_id, customer.name)
            self.assertGreater(customer.credit_limit, 0, customer.name)
            self.assertTrue(customer.use_partner_credit_limit, customer.name)
            self.assertTrue(customer.child_ids.filtered(lambda c: c.type == "contact" and c.email), customer.name)
        self.assertGreater(len(b2b.property_payment_term_id), 1, "not all on the same terms")

    def test_uk_customers_buy_in_pounds(self):
        oliver = self.env.ref("oms_intelligent.partner_customer_oliver_smith").with_company(self.company)
        lucia = self.env.ref("oms_intelligent.partner_customer_lucia_fernandez").with_company(self.company)
        self.assertEqual(oliver.property_product_pricelist.currency_id.name, "GBP")
        self.assertEqual(lucia.property_product_pricelist.currency_id.name, "EUR")

    # -------------------------------------------------------------- sale orders

    def test_sale_orders_in_every_state(self):
        orders = self.env["sale.order"].search([("company_id", "=", self.company.id)])
        states = orders.mapped("state")
        self.assertGreaterEqual(states.count("draft"), 2)
        self.assertGreaterEqual(states.count("sent"), 1)
        self.assertGreaterEqual(states.count("sale"), 3)
        self.assertGreaterEqual(states.count("cancel"), 1)
        self.assertTrue(all(order.warehouse_id.company_id == self.company for order in orders))
        self.assertTrue(orders.filtered(lambda o: o.currency_id.name in ("USD", "GBP")), "an order in USD or GBP")

    def test_orders_in_pounds_are_priced_from_euro_prices(self):
        order = self.env.ref("oms_intelligent.sale_order_oms_confirmed_3")
        line = order.order_line.filtered(lambda line: line.product_id.default_code == "OMS-001")
        self.assertEqual(order.currency_id.name, "GBP")
        self.assertAlmostEqual(line.price_unit, round(line.product_id.list_price * 0.86, 2))

    def test_delivered_order_has_its_delivery_done(self):
        order = self.env.ref("oms_intelligent.sale_order_oms_delivered")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.picking_ids.mapped("state"), ["done"])
        for line in order.order_line:
            self.assertEqual(line.qty_delivered, line.product_uom_qty, line.product_id.default_code)
        # The delivery left Madrid: 18 hiking backpacks counted, 4 delivered.
        backpack = self.env.ref("oms_intelligent.product_oms_014")
        self.assertEqual(self._on_hand(backpack, "MAD"), 14.0)

    def test_confirmed_orders_wait_for_picking_and_cancelled_one_has_no_delivery_left(self):
        confirmed = self.env.ref("oms_intelligent.sale_order_oms_confirmed_1")
        self.assertEqual(confirmed.picking_ids.mapped("state"), ["assigned"])
        self.assertEqual(confirmed.picking_ids.picking_type_id.warehouse_id, self.warehouses["BCN"])
        cancelled = self.env.ref("oms_intelligent.sale_order_oms_cancelled")
        self.assertEqual(cancelled.state, "cancel")
        self.assertEqual(set(cancelled.picking_ids.mapped("state")), {"cancel"})

    # -------------------------------------------------------------- users

    def test_demo_users_have_their_access_levels(self):
        operator = self.env.ref("oms_intelligent.user_oms_user")
        manager = self.env.ref("oms_intelligent.user_oms_manager")
        self.assertEqual((operator.login, manager.login), ("oms_user", "oms_manager"))
        self.assertTrue(operator.has_group("oms_intelligent.group_oms_user"))
        self.assertFalse(operator.has_group("oms_intelligent.group_oms_manager"))
        self.assertTrue(manager.has_group("oms_intelligent.group_oms_manager"))
        self.assertTrue(manager.has_group("oms_intelligent.group_oms_user"))
        for user in operator | manager:
            self.assertEqual(user.company_id, self.company)
            self.assertEqual(user.company_ids, self.company)
            self.assertTrue(user._is_internal())

    def test_demo_users_log_in_with_their_login_as_password(self):
        for login in ("oms_user", "oms_manager"):
            user = self.env["res.users"].search([("login", "=", login)])
            credential = {"type": "password", "login": login, "password": login}
            # Raises AccessDenied on a wrong password.
            user.with_user(user)._check_credentials(credential, {"interactive": False})
