import re
from datetime import datetime, time, timedelta

import pytz
from lxml import etree

from odoo.addons.oms_intelligent.services.routing import Weights
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

SEVILLA = (37.3891, -5.9845)


class RoutingCase(TransactionCase):
    """The demo company's four warehouses, a lamp stocked 50 in Madrid, 3 in Sevilla, 20 in Lisboa, a customer in
    Sevilla."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("oms_intelligent.oms_company")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.madrid, cls.barcelona, cls.sevilla, cls.lisboa = (
            cls.env.ref(f"oms_intelligent.wh_{name}") for name in ("madrid", "barcelona", "sevilla", "lisboa")
        )
        cls.strategy = cls.env.ref("oms_intelligent.routing_strategy_nearest")
        cls.uk = cls.env.ref("base.uk")
        cls.lamp = cls.env["product.product"].create(
            {"name": "Routing Lamp", "default_code": "RT-LAMP", "is_storable": True, "company_id": cls.company.id}
        )
        cls.stock(cls.lamp, {cls.madrid: 50, cls.sevilla: 3, cls.lisboa: 20})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Cliente de Sevilla",
                "street": "Calle Sierpes 10",
                "city": "Sevilla",
                "country_id": cls.env.ref("base.es").id,
                "partner_latitude": SEVILLA[0],
                "partner_longitude": SEVILLA[1],
            }
        )

    @classmethod
    def stock(cls, product, quantities):
        for warehouse, quantity in quantities.items():
            cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, quantity)

    def order(self, quantity, partner=None, product=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "order_line": [(0, 0, {"product_id": (product or self.lamp).id, "product_uom_qty": quantity})],
            }
        )

    def shipped_from(self, order):
        """{warehouse code: quantity} of the order's deliveries that are not cancelled."""
        shipped = {}
        for move in order.picking_ids.move_ids.filtered(lambda move: move.state != "cancel"):
            code = move.picking_type_id.warehouse_id.code
            shipped[code] = shipped.get(code, 0) + move.product_uom_qty
        return shipped


@tagged("post_install", "-at_install")
class TestOrderRouting(RoutingCase):
    """Confirmation routes each order to the best warehouses of the demo company, and says why."""

    def test_order_ships_from_the_nearest_warehouse_with_full_stock(self):
        order = self.order(2)
        order.action_confirm()
        self.assertEqual(self.shipped_from(order), {"SVQ": 2})
        decision = order.oms_routing_decision_id
        self.assertEqual(decision.warehouse_ids, self.sevilla)
        self.assertIn("Sevilla", decision.summary)
        self.assertIn("km", decision.summary)

    def test_every_candidate_is_scored_and_the_reason_kept_on_the_order(self):
        order = self.order(5)
        order.action_confirm()
        decision = order.oms_routing_decision_id
        self.assertEqual(decision.candidate_ids.warehouse_id, self.madrid | self.barcelona | self.sevilla | self.lisboa)
        self.assertEqual(decision.candidate_ids.filtered("chosen").warehouse_id, decision.warehouse_ids)
        sevilla_score = decision.candidate_ids.filtered(lambda candidate: candidate.warehouse_id == self.sevilla)
        self.assertIn("3 of 5", sevilla_score.reason, "Sevilla only had 3 of the 5 lamps")
        self.assertNotIn(self.sevilla, decision.warehouse_ids)
        self.assertEqual(len(self.shipped_from(order)), 1, "one warehouse holds all five: no split")
        self.assertIn(decision.summary, order.message_ids[0].body.replace("&amp;", "&"))

    def test_order_larger_than_any_warehouse_is_split_into_one_picking_per_warehouse(self):
        order = self.order(60)
        # The price the order was taken at (a channel's, as an import creates it), not the pricelist's.
        order.order_line.write({"price_unit": 7.25, "technical_price_unit": 7.25})
        order.action_confirm()
        self.assertGreaterEqual(len(order.order_line), 2, "the line is split per warehouse")
        self.assertEqual(set(order.order_line.mapped("price_unit")), {7.25}, "every part keeps the order's price")
        shipped = self.shipped_from(order)
        self.assertEqual(sum(shipped.values()), 60)
        self.assertGreaterEqual(len(shipped), 2)
        self.assertLessEqual(shipped.get("MAD", 0), 50)
        self.assertEqual(len(order.picking_ids), len(shipped), "one delivery per warehouse")
        self.assertEqual(order.oms_routing_decision_id.shipments, len(shipped))

    def test_never_split_ships_what_one_warehouse_has_and_backorders_the_rest(self):
        self.strategy.split_policy = "never"
        order = self.order(60)
        order.action_confirm()
        self.assertEqual(self.shipped_from(order), {"MAD": 60})
        backorder = order.oms_routing_decision_id.line_ids.filtered("backorder")
        self.assertEqual(backorder.quantity, 10)

    def test_disabled_warehouse_is_skipped_with_its_reason(self):
        self.sevilla.oms_fulfillment_enabled = False
        order = self.order(2)
        order.action_confirm()
        self.assertNotIn("SVQ", self.shipped_from(order))
        sevilla = order.oms_routing_decision_id.candidate_ids.filtered(lambda c: c.warehouse_id == self.sevilla)
        self.assertFalse(sevilla.eligible)
        self.assertIn("disabled", sevilla.reason)

    def test_rerouting_before_shipment_moves_the_delivery_and_keeps_the_history(self):
        order = self.order(2)
        order.action_confirm()
        self.assertEqual(self.shipped_from(order), {"SVQ": 2})
        self.sevilla.oms_fulfillment_enabled = False
        order.action_oms_route()
        self.assertNotIn("SVQ", self.shipped_from(order))
        self.assertEqual(sum(self.shipped_from(order).values()), 2)
        self.assertEqual(len(order.oms_routing_decision_ids), 2)
        self.assertEqual(len(order.oms_routing_decision_ids.filtered("current")), 1)
        self.assertIn("Re-routed", order.message_ids[0].body)

    def test_address_without_coordinates_falls_back_and_says_so(self):
        partner = self.customer.copy({"partner_latitude": 0.0, "partner_longitude": 0.0})
        order = self.order(2, partner=partner)
        order.action_confirm()
        self.assertTrue(order.oms_routing_decision_id.fallback)
        self.assertIn("coordinates", order.oms_routing_decision_id.fallback)

    def test_unknown_distance_is_shown_as_unknown_not_as_zero_km(self):
        """A customer in Edinburgh whose address was never geolocated: no warehouse's distance is known, so the
        order's Routing tab leaves the distance empty (not "0,0 km") and no explanation names a distance."""
        partner = self.env["res.partner"].create(
            {"name": "Emily Clarke", "street": "12 Princes Street", "city": "Edinburgh", "country_id": self.uk.id}
        )
        order = self.order(2, partner=partner)
        order.action_confirm()
        shown = self.routing_tab_distances(order)
        self.assertEqual(set(shown), {"MAD", "BCN", "SVQ", "LIS"}, "all four warehouses are candidates")
        self.assertEqual(shown, dict.fromkeys(shown, ""), "an unknown distance is not shown as 0 km")
        for text in [order.oms_routing_summary, *order.oms_routing_candidate_ids.mapped("reason")]:
            self.assertNotRegex(text, r"\d\s*km", "the explanation does not claim a distance")
        self.assertIn("distance unknown", " ".join(order.oms_routing_candidate_ids.mapped("reason")))

    def test_known_distance_is_shown_on_the_routing_tab(self):
        order = self.order(2)
        order.action_confirm()
        shown = self.routing_tab_distances(order)
        self.assertRegex(shown["SVQ"], r"^\d+\.\d$", "the customer in Sevilla is a few km from Sevilla")
        self.assertGreater(float(shown["MAD"]), 300.0)

    def routing_tab_distances(self, order):
        """{warehouse code: the Distance cell of the order's Routing tab}, as the form view shows it to an OMS user:
        the distance with its one decimal, or "" where the column's `invisible` expression hides it."""
        user = self.env.ref("base.user_admin")
        arch = order.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        cell = etree.fromstring(arch).xpath(
            "//field[@name='oms_routing_candidate_ids']/list/field[@name='distance_km']"
        )[0]
        hidden_when = cell.get("invisible", "False")
        shown = {}
        for candidate in order.oms_routing_candidate_ids:
            names = set(re.findall(r"[a-z_]+", hidden_when)) & set(candidate._fields)
            hidden = safe_eval(hidden_when, {name: candidate[name] for name in names})
            shown[candidate.warehouse_id.code] = "" if hidden else f"{candidate.distance_km:.1f}"
        return shown

    def test_strategy_weights_are_the_engines_and_refused_as_the_engine_refuses_them(self):
        self.assertEqual(
            self.strategy._oms_service_strategy().weights,
            Weights(distance=3, cost=2, coverage=4, priority=1, capacity=1),
        )
        for refused in (
            {"weight_cost": -1},
            dict.fromkeys(
                ("weight_distance", "weight_cost", "weight_coverage", "weight_priority", "weight_capacity"), 0
            ),
        ):
            with self.subTest(refused=refused), self.assertRaisesRegex(ValidationError, "at least one above zero"):
                self.strategy.write(refused)

    def test_orders_routed_today_count_from_the_start_of_the_warehouse_day_not_the_users(self):
        """The daily capacity of a warehouse fills by its own day: an order routed half an hour after midnight in
        Sevilla counts for Sevilla's today, whatever day it is for a user in Auckland; one routed half an hour before
        midnight counts for yesterday."""
        self.env.user.tz = "Pacific/Auckland"
        after_midnight, before_midnight = self.order(1), self.order(1)
        (after_midnight | before_midnight).action_confirm()
        self.assertEqual(self.shipped_from(after_midnight), {"SVQ": 1}, "the nearest warehouse with stock")
        tz = self.sevilla._oms_tz()
        midnight = tz.localize(datetime.combine(self.sevilla._oms_today(), time.min)).astimezone(pytz.utc)
        midnight = midnight.replace(tzinfo=None)
        decisions = (after_midnight | before_midnight).oms_routing_decision_ids

        def routed_at(order, moment):
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE oms_routing_decision SET create_date = %s WHERE id IN %s",
                (moment, tuple(decisions.filtered(lambda decision: decision.order_id == order).ids)),
            )

        routed_at(after_midnight, midnight - timedelta(days=1))
        routed_at(before_midnight, midnight - timedelta(days=1))
        earlier = self.sevilla._oms_loads_today().get(self.sevilla.id, 0)
        routed_at(after_midnight, midnight + timedelta(minutes=30))
        routed_at(before_midnight, midnight - timedelta(minutes=30))
        self.assertEqual(self.sevilla._oms_loads_today().get(self.sevilla.id, 0), earlier + 1)

    def test_orders_of_another_company_never_ship_from_these_warehouses(self):
        main_company = self.env.ref("base.main_company")
        product = self.env["product.product"].create({"name": "Shared lamp", "is_storable": True})
        order = (
            self.env["sale.order"]
            .with_company(main_company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": main_company.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
            )
        )
        self.env["oms.routing.strategy"].create({"name": "Main", "company_id": main_company.id, "is_default": True})
        order.with_company(main_company).action_confirm()
        iberia = self.madrid | self.barcelona | self.sevilla | self.lisboa
        self.assertFalse(order.oms_routing_decision_id.candidate_ids.warehouse_id & iberia)
        self.assertFalse(order.order_line.warehouse_id & iberia)

    def test_service_line_follows_the_goods(self):
        service = self.env["product.product"].create({"name": "Gift wrap", "type": "service"})
        order = self.order(2)
        order.order_line = [(0, 0, {"product_id": service.id, "product_uom_qty": 1})]
        order.action_confirm()
        self.assertEqual(order.order_line.warehouse_id, self.sevilla)


@tagged("post_install", "-at_install")
class TestBatchAllocation(RoutingCase):
    """The manager's "Allocate waiting orders" ships more orders complete than first come, first served."""

    def test_allocation_serves_two_small_orders_rather_than_one_big_early_one(self):
        kettle = self.env["product.product"].create(
            {"name": "Scarce kettle", "is_storable": True, "company_id": self.company.id}
        )
        self.stock(kettle, {self.madrid: 10})
        self.env["sale.order"].search(
            [("company_id", "=", self.company.id), ("state", "=", "sale")]
        )._action_cancel()  # the demo's own waiting orders are not part of this case
        big, small_a, small_b = (self.order(quantity, product=kettle) for quantity in (8, 5, 5))
        (big | small_a | small_b).action_confirm()
        self.assertEqual(big.picking_ids.move_ids.quantity, 8, "first come, first served: the big order took the stock")
        wizard = self.env["oms.allocation.wizard"].create({"company_id": self.company.id})
        self.assertEqual(wizard.waiting_order_count, 3)
        notification = wizard.action_allocate()
        self.assertIn("2 of 3 waiting orders", notification["params"]["message"])
        self.assertIn("would ship 1", notification["params"]["message"])
        reserved = {
            order: sum(order.picking_ids.move_ids.filtered(lambda move: move.state != "cancel").mapped("quantity"))
            for order in (big, small_a, small_b)
        }
        self.assertEqual(reserved, {big: 0, small_a: 5, small_b: 5})
        self.assertIn("not enough stock", big.message_ids[0].body)
