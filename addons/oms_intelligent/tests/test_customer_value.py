from datetime import timedelta

from odoo import fields
from odoo.addons.oms_intelligent.services.rfm import SEGMENTS
from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerValue(TransactionCase):
    """Customer 360 and RFM on a company of its own, whose every figure is worked out by hand below.

    Product at cost 60, no taxes; confirmed orders (days ago, quantity x price):

    ========  =========================================  =======  ======  ======  ====  =======
    customer  orders                                     revenue  cost    margin  AOV   days
    ========  =========================================  =======  ======  ======  ====  =======
    Ana       5 d: 1x100, 40 d: 2x100, 100 d: 3x100       600      360     240     200   5
    Bruno     400 d: 10x100                              1000      600     400    1000   400
    Carla     10 d: 2x150 (by her contact), 200 d: 1x50    350      180     170     175   10
    Dani      2 d: 1x80                                    80       60      20      80   2
    ========  =========================================  =======  ======  ======  ====  =======

    Plus a cancelled order of Ana's and a quotation of Eva's, which count for nothing.
    Scores, 1 + floor(5 x (customers strictly worse + half the customers equal, itself included) / 4):
    recency (fewer days better: 5, 400, 10, 2) Ana (2 + 0.5) / 4 -> 4, Bruno 0.5 / 4 -> 1, Carla 1.5 / 4 -> 2,
    Dani 3.5 / 4 -> 5; frequency (3, 1, 2, 1) Ana 3.5 / 4 -> 5, Bruno and Dani (0 + 1) / 4 -> 2, Carla 2.5 / 4 -> 4;
    monetary (600, 1000, 350, 80) Ana 4, Bruno 5, Carla 2, Dani 1.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_company = cls.env.ref("oms_intelligent.oms_company")
        cls.company = cls.env["res.company"].create(
            {"name": "C360 Hand Calculation", "currency_id": cls.env.ref("base.EUR").id}
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id, cls.demo_company.id]))
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.product = cls.env["product.product"].create(
            {"name": "C360 Lamp", "is_storable": True, "standard_price": 60.0, "list_price": 100.0, "taxes_id": []}
        )
        Partner = cls.env["res.partner"]
        cls.ana, cls.bruno, cls.carla, cls.dani, cls.eva = Partner.create(
            [
                {"name": "C360 Ana"},
                {"name": "C360 Bruno"},
                {"name": "C360 Carla Ltd", "is_company": True},
                {"name": "C360 Dani"},
                {"name": "C360 Eva"},
            ]
        )
        cls.carla_contact = Partner.create({"name": "C360 Carla Buyer", "parent_id": cls.carla.id})
        cls.ana_recent = cls.order(cls.ana, 5, 1, 100.0)
        cls.order(cls.ana, 40, 2, 100.0)
        cls.order(cls.ana, 100, 3, 100.0)
        cls.order(cls.ana, 1, 7, 100.0).with_context(disable_cancel_warning=True).action_cancel()
        cls.order(cls.bruno, 400, 10, 100.0)
        cls.order(cls.carla_contact, 10, 2, 150.0)
        cls.order(cls.carla, 200, 1, 50.0)
        cls.order(cls.dani, 2, 1, 80.0)
        cls.order(cls.eva, 1, 1, 100.0, confirm=False)

    @classmethod
    def order(cls, partner, days_ago, quantity, price, confirm=True, company=None):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        fields.Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": quantity,
                                "price_unit": price,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
            assert order.state == "sale", order.oms_hold_reasons
        # Confirming dates the order now.
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def values(self, company=None):
        Value = self.env["oms.customer.value"]
        Value._recompute(company or self.company)
        return {value.partner_id: value for value in Value.search([("company_id", "=", (company or self.company).id)])}

    def test_figures_match_the_hand_calculation(self):
        values = self.values()
        self.assertEqual(set(values), {self.ana, self.bruno, self.carla, self.dani})
        expected = {
            # order_count, lifetime_value, revenue_12m, margin, margin %, average order value, days since last order
            self.ana: (3, 600.0, 600.0, 240.0, 40.0, 200.0, 5),
            self.bruno: (1, 1000.0, 0.0, 400.0, 40.0, 1000.0, 400),
            self.carla: (2, 350.0, 350.0, 170.0, 48.6, 175.0, 10),
            self.dani: (1, 80.0, 80.0, 20.0, 25.0, 80.0, 2),
        }
        for partner, figures in expected.items():
            value = values[partner]
            self.assertEqual(
                (
                    value.order_count,
                    value.lifetime_value,
                    value.revenue_12m,
                    value.margin,
                    value.margin_percent,
                    value.average_order_value,
                    value.recency_days,
                ),
                figures,
                partner.name,
            )

    def test_rfm_scores_and_segments_match_the_hand_calculation(self):
        values = self.values()
        self.assertEqual(
            {partner.name: (value.rfm_code, value.segment) for partner, value in values.items()},
            {
                "C360 Ana": ("454", "champions"),
                "C360 Bruno": ("125", "lost"),
                "C360 Carla Ltd": ("242", "at_risk"),
                "C360 Dani": ("521", "new"),
            },
        )

    def test_the_top_share_by_margin_is_suggested_vip_and_marking_feeds_the_special_orders(self):
        self.company.oms_vip_top_percent = 25.0  # one customer of four: the largest margin, Bruno (not revenue)
        values = self.values()
        self.assertEqual([partner for partner, value in values.items() if value.vip_suggested], [self.bruno])
        self.company.oms_vip_top_percent = 50.0  # Bruno and Ana; Ana is VIP already
        self.ana.oms_vip = True
        values = self.values()
        self.assertEqual([partner for partner, value in values.items() if value.vip_suggested], [self.bruno])
        values[self.bruno].action_mark_vip()
        self.assertTrue(self.bruno.oms_vip)
        self.assertFalse(values[self.bruno].vip_suggested)
        self.assertFalse(self.values()[self.bruno].vip_suggested)
        # The flag is what the special-order rules read: Bruno's next order is a VIP special order.
        order = self.order(self.bruno, 0, 1, 100.0, confirm=False, company=self.demo_company)
        self.assertEqual(order.oms_special_type_id.trigger, "vip_customer")

    def test_the_report_lists_customers_by_margin_not_revenue(self):
        self.values()
        report = self.env["oms.customer.value"].search([("company_id", "=", self.company.id)])
        self.assertEqual(report.partner_id, self.bruno | self.ana | self.carla | self.dani)
        self.assertEqual(report.mapped("margin"), [400.0, 240.0, 170.0, 20.0])

    def test_the_partner_form_shows_the_figures_of_its_commercial_partner(self):
        self.values()
        self.assertEqual(self.carla_contact.with_company(self.company).oms_lifetime_value, 350.0)
        self.assertEqual(self.carla.with_company(self.company).oms_rfm_code, "242")
        self.assertIn("350.00", self.carla_contact.with_company(self.company).oms_channel_breakdown)
        action = self.carla.with_company(self.company).action_oms_customer_orders()
        self.assertEqual(self.env["sale.order"].with_company(self.company).search_count(action["domain"]), 2)

    def test_return_rate_counts_units_returned_over_delivered(self):
        self.env["stock.quant"]._update_available_quantity(self.product, self.warehouse.lot_stock_id, 10)
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.ana.id), ("state", "=", "sale"), ("amount_untaxed", "=", 300.0)]
        )
        delivery = order.picking_ids
        delivery.action_assign()
        delivery.move_ids.quantity = 3
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        wizard = self.env["stock.return.picking"].create({"picking_id": delivery.id})
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = 1
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        value = self.values()[self.ana]
        self.assertEqual((value.delivered_qty, value.returned_qty, value.return_rate), (3.0, 1.0, 33.3))

    def test_each_company_sees_its_own_figures(self):
        self.order(self.ana, 3, 4, 25.0, company=self.demo_company)
        self.values()
        self.values(self.demo_company)
        self.assertEqual(self.ana.with_company(self.company).oms_order_count, 3)
        self.assertEqual(self.ana.with_company(self.demo_company).oms_order_count, 1)
        self.assertEqual(self.ana.with_company(self.demo_company).oms_lifetime_value, 100.0)
        user = new_test_user(
            self.env,
            login="c360_demo_only",
            groups="oms_intelligent.group_oms_user,sales_team.group_sale_salesman",
            company_id=self.demo_company.id,
            company_ids=[self.demo_company.id],
        )
        Value = self.env["oms.customer.value"].with_user(user).with_context(allowed_company_ids=self.demo_company.ids)
        visible = Value.search([("partner_id", "=", self.ana.id)])
        self.assertEqual(visible.company_id, self.demo_company)

    def test_the_cron_recomputes_each_company_once_a_day(self):
        self.env["res.company"].search([]).oms_customer_value_date = False
        Value = self.env["oms.customer.value"]
        for _company in self.env["res.company"].search([]):
            Value._cron_recompute()
        self.assertFalse(self.env["res.company"].search([("oms_customer_value_date", "=", False)]))
        self.assertEqual(Value.search_count([("company_id", "=", self.company.id)]), 4)

    def test_only_managers_mark_customers_vip(self):
        self.values()
        user = new_test_user(
            self.env,
            login="c360_oms_user",
            groups="base.group_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessError):
            self.bruno.with_user(user).with_context(allowed_company_ids=self.company.ids).action_oms_mark_vip()
        value = self.env["oms.customer.value"].search([("partner_id", "=", self.bruno.id)])
        with self.assertRaises(AccessError):
            value.with_user(user).with_context(allowed_company_ids=self.company.ids).action_mark_vip()
        self.assertFalse(self.bruno.oms_vip)

    def test_only_managers_recompute_the_figures_behind_the_managers_button(self):
        """Recompute runs as superuser: the method checks the group, not only the view."""
        self.values()
        Value = self.env["oms.customer.value"]
        for login, groups in (
            ("c360_recompute_user", "base.group_user,oms_intelligent.group_oms_user"),
            ("c360_sales_manager", "base.group_user,sales_team.group_sale_manager"),
        ):
            user = new_test_user(
                self.env, login=login, groups=groups, company_id=self.company.id, company_ids=[self.company.id]
            )
            with self.assertRaises(AccessError):
                Value.with_user(user).with_context(allowed_company_ids=self.company.ids).action_recompute()
        manager = new_test_user(
            self.env,
            login="c360_recompute_manager",
            groups="base.group_user,oms_intelligent.group_oms_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        action = Value.with_user(manager).with_context(allowed_company_ids=self.company.ids).action_recompute()
        self.assertEqual(action["tag"], "soft_reload")

    def test_demo_customer_figures_match_a_hand_calculation(self):
        """Montaña Viva's one confirmed demo order (sale_order_demo.xml, delivered whole), at the EUR list prices
        and costs of product_demo.xml: 4 backpacks 69.90 (cost 24.00), 2 tents 99.00 (38.00), 10 headlamps 14.90
        (4.10): revenue 279.60 + 198.00 + 149.00 = 626.60, cost 96 + 76 + 41 = 213, margin 413.60 (66.0 %)."""
        montana = self.env.ref("oms_intelligent.partner_customer_montana_viva")
        value = self.values(self.demo_company)[montana]
        self.assertEqual(
            (value.order_count, value.lifetime_value, value.margin, value.margin_percent, value.average_order_value),
            (1, 626.6, 413.6, 66.0, 626.6),
        )
        self.assertEqual((value.delivered_qty, value.returned_qty, value.return_rate), (16.0, 0.0, 0.0))
        self.assertEqual(montana.with_company(self.demo_company).oms_margin, 413.6)

    def test_a_salesperson_without_order_management_opens_a_customer(self):
        self.values()
        salesman = new_test_user(
            self.env,
            login="c360_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        partner = self.ana.with_user(salesman).with_context(allowed_company_ids=self.company.ids)
        with Form(partner) as form:
            self.assertEqual(form.name, "C360 Ana")
        self.assertEqual(partner.oms_lifetime_value, 600.0)

    def test_an_oms_user_sees_the_customer_360_tab(self):
        self.values()
        user = new_test_user(
            self.env,
            login="c360_tab_user",
            groups="oms_intelligent.group_oms_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        partner = self.carla_contact.with_user(user).with_context(allowed_company_ids=self.company.ids)
        with Form(partner) as form:
            self.assertEqual(form.oms_lifetime_value, 350.0)
            self.assertEqual(form.oms_segment, "at_risk")
        action = partner.action_oms_customer_orders()
        self.assertEqual(partner.env["sale.order"].search_count(action["domain"]), 2)


@tagged("post_install", "-at_install")
class TestCustomerValueScreens(TransactionCase):
    def test_the_partner_segment_offers_every_segment_to_the_web_client(self):
        """The web client draws a selection from its description, translated from the selection values Odoo records
        for the field: a segment missing there breaks the partner's tab."""
        self.env["res.lang"]._activate_lang("es_ES")
        partners = self.env["res.partner"].with_context(lang="es_ES")
        described = partners.fields_get(["oms_segment"])["oms_segment"]["selection"]
        self.assertEqual([key for key, _label in described], [key for key, _label in SEGMENTS])
