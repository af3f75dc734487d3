from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged

TILES = (
    "orders_today",
    "late",
    "on_hold",
    "shipped_lines",
    "short_lines",
    "shipped_orders",
    "split_orders",
    "deliveries",
    "returns",
    "stockouts",
    "revenue_today",
)


@tagged("post_install", "-at_install")
class TestDashboard(TransactionCase):
    """Reporting > OMS Dashboard: each tile counts what its list shows, and the rates match a hand calculation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_company = cls.env.ref("oms_intelligent.oms_company")
        cls.company = cls.env["res.company"].create({"name": "Dashboard Co", "currency_id": cls.env.ref("base.EUR").id})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id], tz="UTC"))
        cls.env.user.tz = "UTC"
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.product = cls.env["product.product"].create(
            {"name": "Dashboard Lamp", "is_storable": True, "standard_price": 10.0, "taxes_id": []}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 100)
        cls.customer = cls.env["res.partner"].create({"name": "Dashboard Customer"})
        cls.team = cls.env["crm.team"].create({"name": "Dashboard Web Shop", "company_id": cls.company.id})

    def order(self, quantity, price, confirm=True, hours_ago=0, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "team_id": self.team.id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": self.product.id, "product_uom_qty": quantity, "price_unit": price, "tax_id": []}
                    )
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
            self.assertEqual(order.state, "sale", order.oms_hold_reasons)
        order.date_order = fields.Datetime.now() - timedelta(hours=hours_ago)
        return order

    def ship(self, order, quantity):
        delivery = order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
        delivery.action_assign()
        delivery.move_ids.quantity = quantity
        delivery.move_ids.picked = True
        delivery._action_done()  # short: leaves a backorder
        self.assertEqual(delivery.state, "done")
        return delivery

    def dashboard(self, company=None):
        action = self.env["oms.dashboard"].action_open_dashboard()
        return self.env["oms.dashboard"].browse(action["res_id"])

    def assert_tiles_count_their_lists(self, dashboard):
        for tile in TILES:
            action = dashboard.with_context(tile=tile).action_open_tile()
            field = dashboard._tiles()[tile].field
            listed = self.env[action["res_model"]].search_count(action["domain"])
            self.assertEqual(dashboard[field], listed, tile)

    def test_each_tile_counts_what_its_list_shows_on_the_demo_company(self):
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=[self.demo_company.id]))
        dashboard = self.dashboard()
        self.assertEqual(dashboard.company_id, self.demo_company)
        self.assert_tiles_count_their_lists(dashboard)
        self.assertEqual(dashboard.on_hold_count, self.env["sale.order"].search_count([("oms_on_hold", "=", True)]))

    def test_figures_match_a_hand_calculation(self):
        # Two orders placed 30 hours ago: one shipped whole (then one unit returned), one shipped 2 of 3 units and
        # the rest in a backorder not shipped yet.
        whole = self.order(1, 100.0, hours_ago=30)
        self.ship(whole, 1)
        split = self.order(3, 100.0, hours_ago=30)
        self.ship(split, 2)
        self.assertEqual(len(split.picking_ids), 2)
        wizard = self.env["stock.return.picking"].create({"picking_id": whole.picking_ids.id})
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = 1
        returned.move_ids.picked = True
        returned._action_done()
        # Today: an order in euros, one in dollars at 2 dollars a euro, a quotation and a cancelled order.
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create(
            {"name": fields.Date.today(), "rate": 2.0, "currency_id": usd.id, "company_id": self.company.id}
        )
        dollars = self.env["product.pricelist"].create(
            {"name": "Dashboard USD", "currency_id": usd.id, "company_id": self.company.id}
        )
        self.order(2, 50.0)
        self.order(1, 200.0, pricelist_id=dollars.id)
        self.order(1, 10.0, confirm=False)
        self.order(1, 10.0).with_context(disable_cancel_warning=True).action_cancel()

        dashboard = self.dashboard()
        self.assertEqual(dashboard.company_id, self.company)
        self.assert_tiles_count_their_lists(dashboard)
        self.assertEqual(dashboard.orders_today_count, 3)
        self.assertEqual((dashboard.shipped_line_count, dashboard.short_line_count, dashboard.fill_rate), (2, 1, 50.0))
        self.assertEqual(
            (dashboard.shipped_order_count, dashboard.split_order_count, dashboard.split_rate), (2, 1, 50.0)
        )
        self.assertAlmostEqual(dashboard.hours_to_ship, 30.0, delta=0.1)
        self.assertEqual((dashboard.delivery_count, dashboard.return_count, dashboard.return_rate), (2, 1, 50.0))
        self.assertEqual(dashboard.revenue_today_count, 2)
        self.assertEqual(dashboard.revenue_today, 200.0)  # 100 EUR + 200 USD at 2 = 100 EUR
        self.assertIn("USD", dashboard.revenue_today_breakdown)
        self.assertIn("Dashboard Web Shop", dashboard.orders_today_breakdown)
        self.assertFalse(dashboard.late_count)

    def test_a_late_order_is_on_the_late_tile(self):
        late = self.order(1, 10.0, hours_ago=60, commitment_date=fields.Datetime.now() - timedelta(days=1))
        dashboard = self.dashboard()
        action = dashboard.with_context(tile="late").action_open_tile()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), late)
        self.assertEqual(dashboard.late_count, 1)

    def test_an_oms_user_opens_the_dashboard_and_its_lists(self):
        user = new_test_user(
            self.env,
            login="dashboard_oms_user",
            groups="base.group_user,oms_intelligent.group_oms_user",
            company_id=self.demo_company.id,
            company_ids=[self.demo_company.id],
        )
        Dashboard = self.env["oms.dashboard"].with_user(user).with_context(allowed_company_ids=self.demo_company.ids)
        dashboard = Dashboard.browse(Dashboard.action_open_dashboard()["res_id"])
        self.assertEqual(dashboard.company_id, self.demo_company)
        for tile in TILES:
            action = dashboard.with_context(tile=tile).action_open_tile()
            field = dashboard._tiles()[tile].field
            self.assertEqual(dashboard[field], dashboard.env[action["res_model"]].search_count(action["domain"]), tile)
