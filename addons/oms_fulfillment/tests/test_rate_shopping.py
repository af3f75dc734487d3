"""Rate shopping on delivery orders against the local REST and SOAP carriers and Odoo's own carriers."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import MONDAY_MORNING, CarrierCase


@tagged("post_install", "-at_install")
class TestRateShopping(CarrierCase):
    def shop(self, pickings, now=MONDAY_MORNING):
        with freeze_time(now):
            return pickings.action_oms_shop_rates()

    def test_cheapest_policy_chooses_the_rest_carrier_and_keeps_every_quote(self):
        picking = self.delivery()
        self.shop(picking)
        quotes = self.quotes_by_carrier(picking)
        self.assertEqual(set(quotes), {self.rest, self.soap, self.express, self.standard})
        self.assertEqual(picking.carrier_id, self.rest)
        rest = quotes[self.rest]
        self.assertTrue(rest.chosen)
        self.assertEqual(quotes.keys() - {self.rest}, {q.carrier_id for q in quotes.values() if not q.chosen})
        self.assertEqual((rest.price, rest.currency_id.name, rest.transit_days), (3.0, "EUR", 3))
        self.assertEqual(rest.transit_days, 3, "the carrier's answer, not the carrier's default of 5")
        self.assertEqual(rest.ship_date, date(2026, 11, 30))
        self.assertEqual(rest.eta, date(2026, 12, 3))
        self.assertEqual(quotes[self.soap].price, 10.0)
        self.assertEqual(quotes[self.express].price, 4.9, "Odoo's price rules, on the delivery's 2 kg")
        self.assertEqual(quotes[self.standard].price, 12.9)
        self.assertEqual(quotes[self.standard].eta, date(2026, 12, 4), "Odoo's fixed carrier: its transit days")
        self.assertEqual(
            picking.oms_carrier_choice, "Parcel REST is the cheapest carrier: 3.00\xa0€, arriving on 12/03/2026."
        )
        self.assertIn("Carrier rates shopped: Parcel REST is the cheapest carrier", picking.message_ids[0].body)
        sent = self.rest_server.calls("/rates")
        self.assertEqual(len(sent), 1)
        self.assertIn(f'"reference": "{picking.name}"', sent[0].body)
        self.assertIn('"weight": 2.0', sent[0].body)

    def test_fastest_policy_chooses_the_soap_carrier(self):
        self.company.oms_carrier_policy = "fastest"
        picking = self.delivery()
        self.shop(picking)
        self.assertEqual(picking.carrier_id, self.soap)
        self.assertEqual(picking.oms_carrier_quote_ids.filtered("chosen").eta, date(2026, 12, 1))
        self.assertIn("Parcel SOAP is the fastest carrier", picking.oms_carrier_choice)

    def test_cheapest_on_time_chooses_the_cheapest_arriving_by_the_promised_date(self):
        self.company.oms_carrier_policy = "cheapest_on_time"
        # Promised for Wednesday: Parcel SOAP (Tuesday) and Iberia Express (Wednesday) arrive on time.
        picking = self.delivery(commitment_date=datetime(2026, 12, 2, 16, 0))
        self.shop(picking)
        self.assertEqual(picking.carrier_id, self.express)
        self.assertIn("cheapest carrier arriving by the promised date, 12/02/2026", picking.oms_carrier_choice)

    def test_when_no_carrier_arrives_by_the_promise_the_fastest_is_chosen_and_the_choice_says_so(self):
        self.company.oms_carrier_policy = "cheapest_on_time"
        picking = self.delivery(commitment_date=datetime(2026, 11, 30, 16, 0))
        self.shop(picking)
        self.assertEqual(picking.carrier_id, self.soap)
        self.assertTrue(picking.oms_carrier_choice.startswith("No carrier arrives by the promised date, 11/30/2026"))

    def test_without_a_promised_date_the_on_time_policy_takes_the_cheapest_and_says_so(self):
        self.company.oms_carrier_policy = "cheapest_on_time"
        picking = self.delivery()
        picking.date_deadline = False
        self.shop(picking)
        self.assertEqual(picking.carrier_id, self.rest)
        self.assertTrue(picking.oms_carrier_choice.startswith("There is no promised date"))

    def test_the_warehouse_policy_comes_before_the_company_policy(self):
        self.madrid.oms_carrier_policy = "fastest"
        picking = self.delivery()
        self.shop(picking)
        self.assertEqual(picking.carrier_id, self.soap)

    def test_after_the_cutoff_the_arrival_counts_from_the_next_working_day(self):
        picking = self.delivery()
        self.shop(picking, now=datetime(2026, 11, 27, 17, 30))  # Friday 18:30 in Madrid
        quote = self.quotes_by_carrier(picking)[self.rest]
        self.assertEqual((quote.ship_date, quote.eta), (date(2026, 11, 30), date(2026, 12, 3)))

    def test_a_carrier_timing_out_leaves_the_other_quotes_and_its_error(self):
        self.rest_server.delay_next(1, 3.0)
        picking = self.delivery()
        self.shop(picking)
        quotes = self.quotes_by_carrier(picking)
        self.assertEqual(len(quotes), 4)
        self.assertTrue(quotes[self.rest].failed)
        self.assertIn("did not answer the rate request within 1 s", quotes[self.rest].error_message)
        self.assertFalse(quotes[self.rest].chosen)
        self.assertEqual(picking.carrier_id, self.express, "the cheapest of the carriers that answered")
        self.assertTrue(all(not quote.failed for carrier, quote in quotes.items() if carrier != self.rest))

    def test_a_carrier_that_does_not_answer_is_not_asked_again_for_the_other_deliveries(self):
        first, second = self.delivery(), self.delivery()
        self.rest_server.delay_next(1, 3.0)
        self.shop(first | second)
        self.assertEqual(len(self.rest_server.calls("/rates")), 1, "one wait for a silent carrier, not one each")
        self.assertIn("did not answer", self.quotes_by_carrier(first)[self.rest].error_message)
        error = self.quotes_by_carrier(second)[self.rest].error_message
        self.assertIn(f"Not asked: the carrier did not answer for {first.name}", error)
        self.assertEqual((first | second).carrier_id, self.express)

    def test_a_soap_fault_leaves_the_other_quotes_and_its_error(self):
        self.company.oms_carrier_policy = "fastest"
        self.soap_server.fault_next(1, "Rating engine unavailable")
        picking = self.delivery()
        self.shop(picking)
        quote = self.quotes_by_carrier(picking)[self.soap]
        self.assertIn("SOAP fault: Rating engine unavailable", quote.error_message)
        self.assertEqual(picking.carrier_id, self.express, "the fastest of the carriers that answered")
        self.assertEqual(len(picking.oms_carrier_quote_ids.filtered(lambda q: not q.failed)), 3)

    def test_when_no_carrier_answers_the_carrier_is_kept_and_the_choice_says_so(self):
        (self.express | self.standard).oms_rate_shopping = False
        self.rest_server.fail_next(1, 503, "maintenance")
        self.soap_server.fault_next(1, "down")
        picking = self.delivery(carrier=self.standard)
        result = self.shop(picking)
        self.assertEqual(picking.carrier_id, self.standard)
        self.assertEqual(picking.oms_carrier_choice, "No carrier gave a rate for this shipment.")
        self.assertEqual(result["params"]["type"], "warning")

    def test_shopping_again_replaces_the_quotes(self):
        picking = self.delivery()
        self.shop(picking)
        self.shop(picking)
        self.assertEqual(len(picking.oms_carrier_quote_ids), 4)

    def test_only_carriers_of_the_company_serving_the_address_are_asked(self):
        other_company = self.env["res.company"].create({"name": "Other Carrier Company"})
        self.env["delivery.carrier"].create(
            {
                "name": "Elsewhere Post",
                "delivery_type": "fixed",
                "fixed_price": 0.5,
                "product_id": self.env["product.product"]
                .create({"name": "Elsewhere", "type": "service", "company_id": other_company.id})
                .id,
            }
        )
        shared = self.env.ref("delivery.free_delivery_carrier", raise_if_not_found=False)
        picking = self.delivery(self.oliver)  # London: Iberia Express and Parcel SOAP do not go there
        self.shop(picking)
        asked = picking.oms_carrier_quote_ids.carrier_id
        self.assertEqual(asked, self.rest | self.standard)
        if shared:
            self.assertNotIn(shared, asked, "carriers without a company are not shopped")

    def test_a_carrier_can_be_left_out_of_rate_shopping(self):
        self.rest.oms_rate_shopping = False
        picking = self.delivery()
        self.shop(picking)
        self.assertNotIn(self.rest, picking.oms_carrier_quote_ids.carrier_id)
        self.assertEqual(picking.carrier_id, self.express)

    def test_excluded_product_tags_and_maximum_weight_are_respected(self):
        fragile = self.env["product.tag"].create({"name": "Fragile (carrier test)"})
        self.kettle.product_tag_ids = [Command.link(fragile.id)]
        self.standard.excluded_tag_ids = [Command.link(fragile.id)]
        self.express.max_weight = 3.0
        picking = self.delivery(quantity=2)  # 4 kg
        self.shop(picking)
        self.assertEqual(picking.oms_carrier_quote_ids.carrier_id, self.rest | self.soap)

    def test_many_deliveries_are_shopped_with_a_constant_number_of_queries(self):
        (self.rest | self.soap).oms_rate_shopping = False  # no network: only Odoo's carriers
        few = self.env["stock.picking"].concat(*(self.delivery() for _ in range(2)))
        many = self.env["stock.picking"].concat(*(self.delivery() for _ in range(8)))
        counts = []
        for pickings in (few, many):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.shop(pickings)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(pickings.oms_carrier_quote_ids), 2 * len(pickings))
        self.assertLessEqual(counts[1] - counts[0], 2, f"queries for 2 and 8 deliveries: {counts}")

    def test_a_sale_order_gets_a_rate_from_the_rest_carrier_through_add_shipping(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.lucia.id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "order_line": [Command.create({"product_id": self.kettle.id, "product_uom_qty": 2})],
            }
        )
        result = self.rest.rate_shipment(order)
        self.assertTrue(result["success"], result)
        self.assertAlmostEqual(result["price"], 4.0)  # 2.00 + 0.50 x 4 kg
        wizard = (
            self.env["choose.delivery.carrier"]
            .with_context(default_order_id=order.id, default_carrier_id=self.soap.id)
            .create({})
        )
        wizard.update_price()
        self.assertAlmostEqual(wizard.delivery_price, 11.0)  # 9.00 + 0.50 x 4 kg
        wizard.button_confirm()
        self.assertEqual(order.carrier_id, self.soap)
        self.assertAlmostEqual(order.order_line.filtered("is_delivery").price_unit, 11.0)

    def test_a_failing_carrier_gives_odoo_a_rate_error_not_an_exception(self):
        self.rest_server.fail_next(1, 401, "bad key")
        order = self.order()
        result = self.rest.rate_shipment(order)
        self.assertFalse(result["success"])
        self.assertIn("Parcel REST gave no rate", result["error_message"])
        self.assertIn("check the carrier's API key", result["error_message"])
        self.assertNotIn("rest-key", result["error_message"])
