"""Sendcloud, DHL Express and Correos as Odoo delivery types, each against its local stand-in on 127.0.0.1: the
connection test, a sale order's rate (*Add shipping*), labels for one and three packages at validation, customs
lines outside the EU, a refused address, a time-out during the label purchase, the tracking poll. The same tests
run for each carrier (PlatformCarrierTests); each carrier's class says how its stand-in is driven."""

import io
import json

import PyPDF2
from lxml import etree

from odoo import Command
from odoo.addons.oms_fulfillment.stand_ins.correos import LocalCorreos
from odoo.addons.oms_fulfillment.stand_ins.dhl_express import LocalDhlExpress
from odoo.addons.oms_fulfillment.stand_ins.sendcloud import LocalSendcloud
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CarrierCase

HS_CODE = "851610"  # electric water heaters and kettles


def page_count(pdf: bytes) -> int:
    return len(PyPDF2.PdfReader(io.BytesIO(pdf)).pages)


class PlatformCarrierTests:
    """The tests every carrier type passes; subclasses set the stand-in and how to read it."""

    delivery_type = ""
    stand_in = None
    refused_zip = "99999"
    wrong_credential = {}  # carrier field -> a wrong value, named (not shown) by the connection test
    credential_words = ()  # what the refusal names

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kettle.product_tmpl_id.write({"hs_code": HS_CODE, "country_of_origin": cls.env.ref("base.cn").id})
        (cls.lucia | cls.oliver).write({"phone": "+34 600 000 000"})
        cls.box = cls.env.ref("oms_fulfillment.package_type_box_s")
        cls.platform = cls.env["delivery.carrier"].create(
            {
                "name": f"Platform {cls.delivery_type}",
                "delivery_type": cls.delivery_type,
                "product_id": cls._shipping_product(cls.delivery_type).id,
                "oms_timeout": 1.0,
                "oms_default_package_type_id": cls.box.id,
                "country_ids": [Command.set(cls.env.ref("base.es").ids + cls.env.ref("base.uk").ids)],
            }
        )

    def setUp(self):
        super().setUp()
        self.server = self.enterContext(self.stand_in())
        self.platform.write(self.credentials(self.server))

    # --- what each carrier says -------------------------------------------------------------------------------------

    def credentials(self, server):
        raise NotImplementedError

    def purchases(self):
        """Labels bought at the stand-in."""
        raise NotImplementedError

    def label_request(self):
        """The text of the last label request the stand-in received."""
        raise NotImplementedError

    def time_out_next_purchase(self):
        raise NotImplementedError

    def deliver(self, picking):
        raise NotImplementedError

    def break_next_label(self):
        """The next label the stand-in sends is not a PDF (it is bought all the same)."""
        raise NotImplementedError

    def assert_cancelled(self, number, picking):
        raise NotImplementedError

    def retry_after_lost_label(self, picking):
        """Retry once the label bought was lost (a time-out, a label that is not a PDF)."""
        picking.action_oms_retry_carrier()
        self.assertEqual(picking.state, "done", picking.oms_carrier_error)
        self.assertTrue(self.label_of(picking))

    # --- helpers ----------------------------------------------------------------------------------------------------

    def packed_delivery(self, packages=1, partner=None):
        """A ready delivery of ``packages`` kettles with the platform carrier, one kettle per Box S package."""
        picking = self.delivery(partner=partner, quantity=packages, carrier=self.platform)
        line = picking.move_line_ids
        line.quantity = 1
        boxes = self.env["stock.quant.package"].create(
            [{"package_type_id": self.box.id, "shipping_weight": 2.2} for _ in range(packages)]
        )
        line.result_package_id = boxes[0]
        for box in boxes[1:]:
            line.copy({"quantity": 1, "result_package_id": box.id, "move_id": line.move_id.id})
        picking.move_ids.picked = True
        return picking

    def validate_packed(self, picking):
        picking.move_ids.picked = True
        return picking.button_validate()

    def attachments(self, picking):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id), ("mimetype", "=", "application/pdf")]
        )

    def label_of(self, picking):
        return self.attachments(picking).filtered(lambda a: a.name.startswith("LabelShipping-"))

    # --- tests ------------------------------------------------------------------------------------------------------

    def test_test_connection_works_and_names_a_wrong_credential_without_showing_it(self):
        result = self.platform.action_oms_test_connection()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.platform.write(self.wrong_credential)
        result = self.platform.action_oms_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        message = result["params"]["message"]
        self.assertTrue(any(word in message.lower() for word in self.credential_words), message)
        for value in self.wrong_credential.values():
            self.assertNotIn(value, message)

    def test_test_connection_is_for_oms_managers_only(self):
        user = new_test_user(
            self.env,
            "platform_stock_user",
            groups="stock.group_stock_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessError):
            self.platform.with_user(user).action_oms_test_connection()
        with self.assertRaises(AccessError):
            self.platform.with_user(user).read(["oms_api_secret"])

    def test_a_sale_orders_shipping_is_rated_by_add_shipping(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.lucia.id,
                "company_id": self.company.id,
                "warehouse_id": self.madrid.id,
                "order_line": [Command.create({"product_id": self.kettle.id, "product_uom_qty": 1})],
            }
        )
        wizard = self.env["choose.delivery.carrier"].create({"order_id": order.id, "carrier_id": self.platform.id})
        wizard.update_price()
        self.assertGreater(wizard.delivery_price, 0)
        wizard.button_confirm()
        self.assertEqual(order.carrier_id, self.platform)
        self.assertTrue(order.order_line.filtered("is_delivery"))

    def test_one_package_validated_gets_its_label_and_tracking_number(self):
        picking = self.packed_delivery(1)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.carrier_tracking_ref)
        label = self.label_of(picking)
        self.assertEqual(len(label), 1)
        self.assertEqual(page_count(label.raw), 1)
        self.assertTrue(picking.carrier_tracking_url)
        self.assertEqual(picking.oms_tracking_status, "pending")
        self.assertEqual(self.purchases(), 1)

    def test_three_packages_get_one_label_of_three_pages_and_every_parcels_number(self):
        picking = self.packed_delivery(3)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertEqual(page_count(self.label_of(picking).raw), 3)
        self.assertEqual(len(set(picking.oms_parcel_numbers.split(","))), 3)
        self.assertIn(picking.carrier_tracking_ref.split(",")[0], self.label_of(picking).name)

    def test_a_delivery_outside_the_eu_sends_customs_lines(self):
        picking = self.packed_delivery(1, partner=self.oliver)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        sent = self.label_request()
        self.assertIn(HS_CODE, sent)
        self.assertIn("CN", sent)

    def test_the_service_rate_shopping_priced_is_the_one_booked(self):
        picking = self.packed_delivery(1)
        picking.action_oms_shop_rates()
        quote = picking.oms_carrier_quote_ids.filtered(lambda q: q.carrier_id == self.platform)
        self.assertTrue(quote.service_code, quote.error_message)
        picking.carrier_id = self.platform
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.assertIn(quote.service_code, self.label_request())

    def test_a_refused_address_shows_the_reason_and_keeps_the_delivery(self):
        self.lucia.zip = self.refused_zip
        picking = self.packed_delivery(1)
        result = self.validate_packed(picking)
        self.assertEqual(result["params"]["type"], "danger")
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(self.label_of(picking))
        self.assertIn(self.refused_zip, picking.oms_carrier_error)
        self.assertEqual(self.purchases(), 0)

    def test_a_time_out_on_the_label_then_validate_again_buys_one_label(self):
        picking = self.packed_delivery(1)
        self.time_out_next_purchase()
        result = self.validate_packed(picking)
        self.assertEqual(result["params"]["type"], "danger")
        self.assertFalse(picking.carrier_tracking_ref)
        self.retry_after_lost_label(picking)
        self.assertEqual(self.purchases(), 1)

    def test_a_label_that_is_not_a_pdf_is_not_kept_and_retry_buys_no_second_one(self):
        picking = self.packed_delivery(1)
        self.break_next_label()
        result = self.validate_packed(picking)
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("PDF", picking.oms_carrier_error)
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(self.label_of(picking))
        self.retry_after_lost_label(picking)
        self.assertEqual(self.purchases(), 1)

    def test_a_cancelled_label_is_bought_again_under_a_new_reference(self):
        picking = self.packed_delivery(1)
        picking.action_oms_buy_label()
        first = picking.carrier_tracking_ref
        picking.cancel_shipment()
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertEqual(picking.oms_cancelled_labels, 1)
        self.assert_cancelled(first, picking)
        picking.action_oms_buy_label()
        self.assertTrue(picking.carrier_tracking_ref, picking.oms_carrier_error)
        self.assertNotEqual(picking.carrier_tracking_ref, first)
        self.assertEqual(self.purchases(), 2)

    def test_the_tracking_poll_moves_the_delivery_to_delivered(self):
        picking = self.packed_delivery(1)
        self.assertIs(self.validate_packed(picking), True, picking.oms_carrier_error)
        self.deliver(picking)
        picking.action_oms_check_tracking()
        self.assertEqual(picking.oms_tracking_status, "delivered")
        self.assertTrue(picking.oms_delivered_date)


@tagged("post_install", "-at_install")
class TestSendcloudCarrier(PlatformCarrierTests, CarrierCase):
    delivery_type = "oms_sendcloud"
    stand_in = LocalSendcloud
    wrong_credential = {"oms_api_secret": "sc-secret-wrong-1234"}
    credential_words = ("secret key",)

    def credentials(self, server):
        return {"oms_api_key": server.public_key, "oms_api_secret": server.secret_key, "oms_service_url": server.url}

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

    def credentials(self, server):
        return {
            "oms_api_key": server.api_key,
            "oms_api_secret": server.api_secret,
            "oms_account": server.account,
            "oms_service_url": server.url,
        }

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

    def credentials(self, server):
        values = server.credentials()
        return {
            "oms_account": values["user"],
            "oms_api_secret": values["password"],
            "oms_labeller_code": values["labeller_code"],
            "oms_wsdl_url": values["wsdl_url"],
            "oms_service_url": values["service_url"],
            "oms_locator_url": values["tracking_url"],
        }

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
