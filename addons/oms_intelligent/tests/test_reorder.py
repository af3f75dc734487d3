import math
from datetime import timedelta
from statistics import NormalDist, mean, pstdev

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

MADRID = (40.4168, -3.7038)


class ReorderCase(TransactionCase):
    """The demo company's Madrid warehouse, a vendor, and helpers to give a new product stock and a sales history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.madrid = cls.env.ref("oms_intelligent.wh_madrid")
        cls.vendor = cls.env.ref("oms_intelligent.partner_vendor_menaje_levante")
        cls.buy = cls.env.ref("purchase_stock.route_warehouse0_buy")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tienda de Madrid",
                "street": "Calle Mayor 1",
                "city": "Madrid",
                "country_id": cls.env.ref("base.es").id,
                "partner_latitude": MADRID[0],
                "partner_longitude": MADRID[1],
            }
        )

    @classmethod
    def product(cls, name, cost=20.0, vendor_delay=None):
        """A storable product bought from the vendor in ``vendor_delay`` days (no vendor when None)."""
        values = {"name": name, "is_storable": True, "standard_price": cost, "list_price": cost * 2}
        if vendor_delay is not None:
            values["seller_ids"] = [(0, 0, {"partner_id": cls.vendor.id, "price": cost, "delay": vendor_delay})]
        return cls.env["product.product"].create(values)

    @classmethod
    def orderpoint(cls, product, **values):
        return cls.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": product.id,
                "warehouse_id": cls.madrid.id,
                "location_id": cls.madrid.lot_stock_id.id,
                "company_id": cls.company.id,
                "route_id": cls.buy.id,
                "trigger": "auto",
                "oms_reorder_mode": "forecast",
                "oms_service_level": 95.0,
                "oms_max_rule": "eoq",
                **values,
            }
        )

    @classmethod
    def set_on_hand(cls, product, quantity):
        current = sum(cls.env["stock.quant"]._gather(product, cls.madrid.lot_stock_id, strict=True).mapped("quantity"))
        cls.env["stock.quant"]._update_available_quantity(product, cls.madrid.lot_stock_id, quantity - current)

    def order(self, product, quantity, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": quantity})],
                **values,
            }
        )

    def lead_days(self, vendor_delay):
        return vendor_delay + self.company.po_lead + self.company.days_to_purchase


@tagged("post_install", "-at_install")
class TestForecastReorderPoints(ReorderCase):
    def test_demo_reorder_point_matches_a_hand_calculation(self):
        """Garden hose reels sold 8 and 12 a day in turn for twelve weeks, vendor lead time 5 days, 95 % service
        level, 24.00 a unit, 50.00 per purchase order, 25 % holding cost a year.

        By hand: 10 a day, standard deviation 2, so min = 10 x 5 + 1.645 x 2 x sqrt(5) = 57.36 and
        max = min + sqrt(2 x 3650 x 50 / (24 x 0.25)) = min + 246.64. The forecast is fitted, not averaged, so
        within a unit of that."""
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_028_madrid")
        orderpoint._oms_recompute_reorder_points()
        history = [8, 12] * 42
        lead = self.lead_days(5)
        z = NormalDist().inv_cdf(0.95)
        hand_min = mean(history) * lead + z * pstdev(history) * math.sqrt(lead)
        hand_eoq = math.sqrt(2 * 365 * mean(history) * 50.0 / (24.0 * 0.25))
        self.assertEqual(orderpoint.oms_lead_days, lead)
        self.assertFalse(orderpoint.oms_lead_days_defaulted)
        self.assertAlmostEqual(orderpoint.product_min_qty, hand_min, delta=1.0)
        self.assertAlmostEqual(orderpoint.product_max_qty, hand_min + hand_eoq, delta=1.5)
        self.assertAlmostEqual(orderpoint.oms_daily_demand, 10.0, delta=0.2)
        self.assertAlmostEqual(orderpoint.oms_demand_sigma, 2.0, delta=0.2)
        # The stored parts add up to the stored result, to the unit's rounding.
        safety = z * orderpoint.oms_demand_sigma * math.sqrt(lead)
        self.assertAlmostEqual(orderpoint.oms_safety_stock, safety, delta=0.02)
        self.assertAlmostEqual(orderpoint.product_min_qty, orderpoint.oms_lead_demand + safety, delta=0.03)
        self.assertIn(orderpoint.oms_forecast_method, ("ses", "holt", "hw_weekly"))
        self.assertFalse(orderpoint.oms_warning)

    def test_each_recomputation_is_kept_with_old_and_new_values(self):
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_028_madrid")
        orderpoint.product_max_qty = 500.0
        orderpoint.product_min_qty = 100.0
        before = len(orderpoint.oms_history_ids)
        orderpoint._oms_recompute_reorder_points()
        self.assertEqual(len(orderpoint.oms_history_ids), before + 1)
        latest = orderpoint.oms_history_ids.sorted("id")[-1]
        self.assertEqual((latest.previous_min_qty, latest.previous_max_qty), (100.0, 500.0))
        self.assertEqual((latest.min_qty, latest.max_qty), (orderpoint.product_min_qty, orderpoint.product_max_qty))
        self.assertEqual((orderpoint.oms_previous_min_qty, orderpoint.oms_previous_max_qty), (100.0, 500.0))
        self.assertEqual(latest.method, orderpoint.oms_forecast_method)
        self.assertEqual(latest.lead_days, orderpoint.oms_lead_days)

    def test_weekly_season_and_intermittent_demand_get_their_methods(self):
        poles = self.env.ref("oms_intelligent.orderpoint_oms_025_madrid")
        stoves = self.env.ref("oms_intelligent.orderpoint_oms_023_madrid")
        (poles | stoves)._oms_recompute_reorder_points()
        self.assertEqual(poles.oms_forecast_method, "hw_weekly")
        # Busy weekends come back in the forecast: 29 a week, 9 on the busiest day.
        self.assertAlmostEqual(sum(poles.oms_forecast_daily[:7]), 29.0, delta=1.0)
        self.assertAlmostEqual(max(poles.oms_forecast_daily[:7]), 9.0, delta=0.5)
        self.assertEqual(poles.oms_max_rule, "cover")
        self.assertAlmostEqual(poles.product_max_qty - poles.product_min_qty, 60 * poles.oms_daily_demand, delta=0.5)
        self.assertEqual(stoves.oms_forecast_method, "croston_sba")
        self.assertAlmostEqual(stoves.oms_daily_demand, 0.6, delta=0.1, msg="3 every fifth day")

    def test_product_without_history_falls_back_to_the_configured_minimum_and_says_so(self):
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_027_barcelona")
        self.company.oms_reorder_fallback_min = 5.0
        orderpoint._oms_recompute_reorder_points()
        self.assertEqual(orderpoint.oms_forecast_method, "none")
        self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (5.0, 5.0))
        self.assertIn("No sales history", orderpoint.oms_warning)

    def test_vendor_without_lead_time_uses_the_company_default_and_is_flagged(self):
        self.company.oms_reorder_default_lead_days = 12
        product = self.product("Lámpara sin plazo", vendor_delay=0)
        self.madrid._oms_record_past_deliveries(product.id, [4] * 28)
        orderpoint = self.orderpoint(product)
        orderpoint._oms_recompute_reorder_points()
        self.assertTrue(orderpoint.oms_lead_days_defaulted)
        self.assertEqual(orderpoint.oms_lead_days, self.lead_days(12))
        self.assertIn("no lead time", orderpoint.oms_warning)
        self.assertAlmostEqual(orderpoint.oms_lead_demand, 4.0 * self.lead_days(12), delta=0.5)

    def test_returns_reduce_demand_but_never_below_zero(self):
        product = self.product("Silla devuelta", vendor_delay=3)
        self.madrid._oms_record_past_deliveries(product.id, [6] * 56)
        orderpoint = self.orderpoint(product)
        orderpoint._oms_recompute_reorder_points()
        before = orderpoint.oms_daily_demand
        # Customers send back a large lot: the demand of that day is nil, not negative.
        customers = self.env.ref("stock.stock_location_customers")
        returned = self.env["stock.move"].create(
            {
                "name": "Return",
                "product_id": product.id,
                "product_uom_qty": 300,
                "product_uom": product.uom_id.id,
                "location_id": customers.id,
                "location_dest_id": self.madrid.lot_stock_id.id,
                "company_id": self.company.id,
            }
        )
        returned._action_confirm()
        returned.quantity = 300
        returned.picked = True
        returned._action_done()
        returned.date = fields.Datetime.now() - timedelta(days=1)
        first_day = fields.Date.today() - timedelta(days=3)
        offsets, quantities = orderpoint._oms_demand_series(product.ids, first_day, fields.Date.today())[
            (product.id, self.madrid.id)
        ]
        by_day = dict(zip(offsets, quantities, strict=True))
        self.assertEqual(by_day[2], 6 - 300, "yesterday's return is subtracted from yesterday's sales")
        orderpoint._oms_recompute_reorder_points()
        self.assertLess(orderpoint.oms_daily_demand, before)
        self.assertGreaterEqual(min(orderpoint.oms_forecast_daily), 0.0)
        self.assertGreaterEqual(orderpoint.product_min_qty, 0.0)

    def test_odoo_replenishment_report_keeps_forecast_reorder_points(self):
        """Odoo removes the manual reorder points its superuser created once nothing is left to order."""
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_023_madrid")
        self.assertEqual(orderpoint.create_uid, self.env.ref("base.user_root"))
        self.assertEqual(orderpoint.trigger, "manual")
        self.set_on_hand(orderpoint.product_id, 1000)
        self.env["stock.warehouse.orderpoint"].action_open_orderpoints()
        self.assertTrue(orderpoint.exists())
        self.assertTrue(orderpoint.oms_history_ids)

    def test_service_level_must_be_between_50_and_100_percent(self):
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_028_madrid")
        with self.assertRaises(ValidationError):
            orderpoint.oms_service_level = 100.0

    def test_scheduled_action_recomputes_stale_forecast_points_only(self):
        forecast = self.env["stock.warehouse.orderpoint"].search([("oms_reorder_mode", "=", "forecast")])
        manual = self.orderpoint(self.product("Manual", vendor_delay=2), oms_reorder_mode="manual", trigger="manual")
        manual.write({"product_min_qty": 3.0, "product_max_qty": 9.0})
        yesterday = fields.Datetime.now() - timedelta(days=1)
        forecast.write({"oms_computed_at": yesterday})
        self.env["stock.warehouse.orderpoint"]._cron_oms_recompute_reorder_points()
        self.assertTrue(all(point.oms_computed_at > yesterday for point in forecast))
        self.assertEqual((manual.product_min_qty, manual.product_max_qty), (3.0, 9.0))
        self.assertFalse(manual.oms_computed_at)

    def test_forecast_chart_shows_history_forecast_and_levels(self):
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_028_madrid")
        orderpoint._oms_recompute_reorder_points()
        chart = orderpoint.oms_forecast_chart
        self.assertEqual(len(chart["labels"]), 26 + 8)
        full_weeks = [week for week in chart["history"][-12:-1] if week is not None]
        self.assertTrue(all(68 <= week <= 72 for week in full_weeks), full_weeks)
        self.assertAlmostEqual(chart["forecast"][-1], 70.0, delta=3.0)
        self.assertEqual(chart["min"], orderpoint.product_min_qty)
        self.assertEqual(chart["on_hand"], orderpoint.qty_on_hand)


@tagged("post_install", "-at_install")
class TestReorderTriggers(ReorderCase):
    def test_sale_below_the_new_minimum_creates_one_rfq_and_the_delay_alert(self):
        """Five a day, vendor lead time 10 days, 100 on hand. Two orders take 90: stock runs out in about two days,
        long before the reorder arrives."""
        product = self.product("Ventilador de pie", cost=30.0, vendor_delay=10)
        self.madrid._oms_record_past_deliveries(product.id, [4, 6] * 28)
        self.set_on_hand(product, 100)
        orderpoint = self.orderpoint(product)
        orderpoint._oms_recompute_reorder_points()
        self.assertGreater(orderpoint.product_min_qty, 50)
        self.assertLess(orderpoint.product_min_qty, 100, "no reorder yet")
        self.assertFalse(self.env["purchase.order.line"].search([("product_id", "=", product.id)]))

        today_order = self.order(product, 60)
        later_order = self.order(product, 30, commitment_date=fields.Datetime.now() + timedelta(days=5))
        (today_order | later_order).action_confirm()

        lines = self.env["purchase.order.line"].search([("product_id", "=", product.id)])
        self.assertEqual(len(lines.order_id), 1, "one RFQ")
        self.assertEqual(lines.order_id.partner_id, self.vendor)
        self.assertEqual(lines.order_id.state, "draft")
        # Odoo orders up to the max from the forecast stock (100 - 90), in whole multiples.
        self.assertEqual(lines.product_qty, math.floor(orderpoint.product_max_qty - 10))
        self.assertEqual(lines.orderpoint_id, orderpoint)

        activities, alert = self._assert_stockout_alert(product, today_order, later_order)

        # Selling more while the RFQ is open does not order again, nor alert twice.
        ordered = lines.product_qty
        self.order(product, 2).action_confirm()
        self.assertEqual(self.env["purchase.order.line"].search([("product_id", "=", product.id)]), lines)
        self.assertEqual(lines.product_qty, ordered)
        self.assertEqual(len(alert.search([("id", "in", activities.ids)]).exists()), len(alert))

        self._assert_received_and_billed(product, lines)

    def _assert_stockout_alert(self, product, today_order, later_order):
        """The warehouse managers are warned that the product runs out before its reorder, naming the orders that
        wait for it; returns the product's activities and the alert among them."""
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "product.template"), ("res_id", "=", product.product_tmpl_id.id)]
        )
        alert = activities.filtered(lambda activity: "runs out before its reorder" in activity.summary)
        self.assertTrue(alert, "the warehouse managers are warned")
        self.assertTrue(alert.user_id <= self.env.ref("stock.group_stock_manager").users)
        self.assertIn(self.env.ref("base.user_admin"), alert.user_id)
        note = alert[0].note
        self.assertIn("Ventilador de pie", note)
        self.assertIn(later_order.name, note, "the order due after the stockout waits for the reorder")
        self.assertNotIn(today_order.name, note, "today's order is served from stock")
        return activities, alert

    def _assert_received_and_billed(self, product, lines):
        """Confirmed and received, the RFQ is billed through Odoo's purchase flow. (Odoo groups reorders per vendor:
        the RFQ may also hold the demo's own reorder from the same vendor.)"""
        purchase = lines.order_id
        purchase.button_confirm()
        receipt = purchase.picking_ids
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(lines.qty_received, lines.product_qty)
        purchase.action_create_invoice()
        bill = purchase.invoice_ids
        self.assertEqual(bill.move_type, "in_invoice")
        billed = bill.invoice_line_ids.filtered(lambda line: line.product_id == product)
        self.assertEqual(billed.quantity, lines.product_qty)
        self.assertEqual(billed.purchase_line_id, lines)

    def test_no_vendor_means_an_alert_instead_of_an_rfq(self):
        product = self.product("Mesa sin proveedor")
        self.madrid._oms_record_past_deliveries(product.id, [3] * 28)
        self.set_on_hand(product, 30)
        orderpoint = self.orderpoint(product)
        orderpoint._oms_recompute_reorder_points()
        self.assertIn("No vendor", orderpoint.oms_warning)
        self.order(product, 25).action_confirm()
        self.assertFalse(self.env["purchase.order.line"].search([("product_id", "=", product.id)]))
        alert = self.env["mail.activity"].search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "=", product.product_tmpl_id.id),
                ("summary", "like", "No vendor"),
            ]
        )
        self.assertTrue(alert)
        self.assertIn("no RFQ was created", alert[0].note)


@tagged("post_install", "-at_install")
class TestLiquidationCandidates(ReorderCase):
    def candidates(self):
        return {
            (candidate.product_id.default_code, candidate.warehouse_id.code): candidate
            for candidate in self.env["oms.liquidation.candidate"].search([])
        }

    def test_slow_movers_and_overstock_are_listed_with_their_reason(self):
        candidates = self.candidates()
        barbecues = candidates[("OMS-030", self.madrid.code)]
        self.assertEqual(barbecues.reason, "slow_mover")
        self.assertEqual(barbecues.days_without_sale, 200)
        self.assertEqual(barbecues.stock_value, barbecues.qty_on_hand * 180.0)
        lunch_bags = candidates[("OMS-034", self.env.ref("oms_intelligent.wh_barcelona").code)]
        self.assertEqual(lunch_bags.reason, "overstock")
        self.assertGreater(lunch_bags.days_of_cover, self.company.oms_overstock_cover_days)
        self.assertNotIn(("OMS-028", self.madrid.code), candidates, "hose reels sell faster than they are stocked")

    def test_thresholds_come_from_the_company_settings(self):
        self.company.oms_slow_mover_days = 250
        self.company.flush_recordset()
        self.assertNotIn(("OMS-030", self.madrid.code), self.candidates())
        self.company.oms_overstock_cover_days = 1000
        self.company.flush_recordset()
        self.assertNotIn(("OMS-034", self.env.ref("oms_intelligent.wh_barcelona").code), self.candidates())


@tagged("post_install", "-at_install")
class TestReorderAccess(ReorderCase):
    def test_oms_users_read_reorder_points_and_candidates_but_only_managers_recompute(self):
        user = new_test_user(
            self.env,
            login="oms_reorder_user",
            groups="oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_028_madrid").with_user(user)
        self.assertTrue(orderpoint.oms_forecast_method)
        self.assertTrue(orderpoint.oms_history_ids)
        self.assertTrue(self.env["oms.liquidation.candidate"].with_user(user).search_count([]))
        with self.assertRaises(AccessError):
            orderpoint.action_oms_recompute()

    def test_stock_managers_who_are_not_oms_managers_do_not_recompute_either(self):
        """The button is for OMS managers: its method says so too, whatever else the user may write."""
        stock_manager = new_test_user(
            self.env,
            login="oms_reorder_stock_manager",
            groups="stock.group_stock_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        orderpoint = self.env.ref("oms_intelligent.orderpoint_oms_028_madrid")
        with self.assertRaises(AccessError):
            orderpoint.with_user(stock_manager).action_oms_recompute()
        stock_manager.groups_id += self.env.ref("oms_intelligent.group_oms_manager")
        action = orderpoint.with_user(stock_manager).action_oms_recompute()
        self.assertEqual(action["params"]["type"], "success")
