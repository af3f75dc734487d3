"""The tests every carrier platform (Sendcloud, DHL Express, Correos) passes as an Odoo delivery type against its
local stand-in on 127.0.0.1: the connection test, a sale order's rate (*Add shipping*), labels for one and three
packages at validation, customs lines outside the EU, a refused address, a time-out during the label purchase, a
label that is not a PDF, a cancellation, the tracking poll. ``test_carrier_platforms.py`` runs them per carrier."""

import io

import PyPDF2

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

HS_CODE = "851610"  # electric water heaters and kettles


def page_count(pdf: bytes) -> int:
    return len(PyPDF2.PdfReader(io.BytesIO(pdf)).pages)


def correos_fields(server):
    values = server.credentials()
    return {
        "oms_account": values["user"],
        "oms_api_secret": values["password"],
        "oms_labeller_code": values["labeller_code"],
        "oms_wsdl_url": values["wsdl_url"],
        "oms_service_url": values["service_url"],
        "oms_locator_url": values["tracking_url"],
    }


# The carrier's fields that point a carrier of each type at its stand-in ``server``.
STAND_IN_FIELDS = {
    "oms_sendcloud": lambda server: {
        "oms_api_key": server.public_key,
        "oms_api_secret": server.secret_key,
        "oms_service_url": server.url,
    },
    "oms_dhl_express": lambda server: {
        "oms_api_key": server.api_key,
        "oms_api_secret": server.api_secret,
        "oms_account": server.account,
        "oms_service_url": server.url,
    },
    "oms_correos": correos_fields,
}


class PlatformCarrier:
    """A carrier of ``delivery_type`` with its stand-in running during each test, and deliveries packed for it."""

    delivery_type = ""
    stand_in = None

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

    def credentials(self, server):
        """The carrier's fields that point it at ``server``."""
        return STAND_IN_FIELDS[self.delivery_type](server)

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


class PlatformCarrierTests(PlatformCarrier):
    """The tests every carrier type passes; subclasses set the stand-in and how to read it."""

    refused_zip = "99999"
    wrong_credential = {}  # carrier field -> a wrong value, named (not shown) by the connection test
    credential_words = ()  # what the refusal names

    # --- what each carrier says -------------------------------------------------------------------------------------

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
