"""Sendcloud, DHL Express and Correos as Odoo delivery types, each against its local stand-in on 127.0.0.1: the
tests of ``platform_carrier_tests.py`` for each carrier, how its stand-in is driven, and what only one carrier
does (Sendcloud's insurance, queued cancellations and rates cached per run; DHL's delivery date and sizes)."""

import json

from lxml import etree

from odoo.addons.oms_fulfillment.stand_ins.correos import LocalCorreos
from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress
from odoo.addons.oms_fulfillment.stand_ins.sendcloud import LocalSendcloud
from odoo.tests import tagged

from .common import CarrierCase
from .platform_carrier_tests import PlatformCarrierTests


@tagged("post_install", "-at_install")
class TestSendcloudCarrier(PlatformCarrierTests, CarrierCase):
    delivery_type = "oms_sendcloud"
    stand_in = LocalSendcloud
    wrong_credential = {"oms_api_secret": "sc-secret-wrong-1234"}
    credential_words = ("secret key",)

    def purchases(self):
        return len(self.server.shipments)

    def time_out_next_purchase(self):
        # The delivery's service is known, so the purchase is the first call; its retry times out too.
        self.platform.oms_service_code = "gls_es:business_parcel/home_delivery"
        self.server.delay_next(2, 2.0)

    def deliver(self, picking):
        for number in picking.carrier_tracking_ref.split(","):
            self.server.add_event(number, "DELIVERED", "2026-12-04T11:26:07Z")

    def label_request(self):
        return self.server.calls("POST", "/shipments")[-1].body

    def test_the_goods_are_declared_and_insured_above_the_carriers_threshold(self):
        self.platform.oms_insurance_threshold = 50.0
        picking = self.packed_delivery(1)
        picking.action_oms_buy_label()
        body = json.loads(self.label_request())
        self.assertEqual(body["total_order_price"], {"value": "30.00", "currency": "EUR"})
        self.assertNotIn("additional_insured_price", body["parcels"][0])
        self.platform.oms_insurance_threshold = 25.0
        picking = self.packed_delivery(1)
        picking.action_oms_buy_label()
        body = json.loads(self.label_request())
        self.assertEqual(body["parcels"][0]["additional_insured_price"], {"value": "30.00", "currency": "EUR"})

    def test_a_spanish_user_reads_the_error_and_the_connection_test_in_spanish(self):
        self.lucia.zip = self.refused_zip
        picking = self.packed_delivery(1).with_context(lang="es_ES")
        self.validate_packed(picking)
        self.assertIn("no pudo crear la etiqueta", picking.oms_carrier_error)
        self.platform.oms_api_secret = "sc-secret-wrong-1234"
        result = self.platform.with_context(lang="es_ES").action_oms_test_connection()
        self.assertIn("La conexión con", result["params"]["title"])

    def break_next_label(self):
        self.server.labels_are_pdf = False

    def retry_after_lost_label(self, picking):
        self.server.labels_are_pdf = True
        return super().retry_after_lost_label(picking)

    def assert_cancelled(self, number, picking):
        cancelled = [call.path for call in self.server.calls("POST", "/shipments/") if call.path.endswith("/cancel")]
        self.assertEqual(len(cancelled), 1)
        self.assertEqual(len(self.server.shipments), 1)

    def test_a_cancellation_sendcloud_queues_is_said_on_the_delivery(self):
        picking = self.packed_delivery(1)
        picking.action_oms_buy_label()
        number = picking.carrier_tracking_ref
        self.server.cancellations_queued = True
        picking.cancel_shipment()
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertIn(f"will cancel shipment {number} later", picking.message_ids[1].body)

    def test_deliveries_of_the_same_parcels_and_route_are_rated_once_per_run(self):
        same = self.packed_delivery(1) | self.packed_delivery(1)
        other = self.packed_delivery(1, partner=self.oliver)
        (same | other).action_oms_shop_rates()
        self.assertEqual(len(self.server.calls("POST", "/shipping-options")), 2)
        quotes = (same | other).oms_carrier_quote_ids.filtered(lambda q: q.carrier_id == self.platform)
        self.assertEqual(len(quotes), 3)
        self.assertFalse(quotes.filtered("failed"), quotes.mapped("error_message"))
        self.assertEqual(len(set(quotes.filtered(lambda q: q.picking_id in same).mapped("price"))), 1)

    def test_a_new_label_after_a_cancellation_reaches_sendcloud_under_a_new_reference(self):
        picking = self.packed_delivery(1)
        picking.action_oms_buy_label()
        picking.cancel_shipment()
        picking.action_oms_buy_label()
        self.assertTrue(picking.carrier_tracking_ref, picking.oms_carrier_error)
        references = [
            json.loads(call.body)["external_reference_id"] for call in self.server.calls("POST", "/shipments/announce")
        ]
        self.assertEqual(references, [f"oms-{picking.name}", f"oms-{picking.name}-2"])


@tagged("post_install", "-at_install")
class TestDhlExpressCarrier(PlatformCarrierTests, CarrierCase):
    delivery_type = "oms_dhl_express"
    stand_in = LocalDhlExpress
    wrong_credential = {"oms_api_secret": "dhl-wrong-secret-77"}
    credential_words = ("api secret",)

    def purchases(self):
        return len(self.server.shipments)

    def label_request(self):
        return json.dumps(self.server.calls("POST", "/shipments")[-1].body)

    def time_out_next_purchase(self):
        self.server.delay_answer_next(1, 2.0)

    def break_next_label(self):
        self.server.break_next_label()

    def assert_cancelled(self, number, picking):
        # MyDHL cannot cancel a waybill: the delivery says what to do instead, and forgets it.
        self.assertIn(f"did not cancel shipment {number}", picking.message_ids[1].body)

    def test_the_estimated_arrival_is_the_date_dhl_gave_with_the_label(self):
        picking = self.packed_delivery(1)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertTrue(picking.oms_carrier_delivery_date)
        self.assertEqual(picking.oms_eta, picking.oms_carrier_delivery_date)

    def test_a_parcel_without_a_size_is_refused_before_asking_dhl(self):
        self.platform.oms_default_package_type_id = False
        picking = self.delivery(carrier=self.platform)
        result = self.validate(picking)
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("has no size", picking.oms_carrier_error)
        self.assertFalse(self.server.calls("POST", "/shipments"))

    def retry_after_lost_label(self, picking):
        # DHL cannot send a label again: Retry finds the waybill bought and says so, rather than buying another.
        picking.action_oms_retry_carrier()
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertIn(next(iter(self.server.shipments)), picking.oms_carrier_error)

    def deliver(self, picking):
        self.server.advance(picking.carrier_tracking_ref, "delivered")


@tagged("post_install", "-at_install")
class TestCorreosCarrier(PlatformCarrierTests, CarrierCase):
    delivery_type = "oms_correos"
    stand_in = LocalCorreos
    refused_zip = "41999"
    wrong_credential = {"oms_api_secret": "correos-wrong-pass-55"}
    credential_words = ("password",)

    def purchases(self):
        return len(self.server.registrations)

    def label_request(self):
        names = [name for name, _element in self.server.received if name.startswith("PreregistroEnvio")]
        return etree.tostring(self.server.last(names[-1]), encoding="unicode")

    def time_out_next_purchase(self):
        self.server.delay_registration(2.0)

    def deliver(self, picking):
        for number in picking.carrier_tracking_ref.split(","):
            self.server.deliver(number)

    def break_next_label(self):
        self.server.broken_label_next()

    def assert_cancelled(self, number, picking):
        self.assertEqual(self.server.parcels[number]["status"], "cancelled")
