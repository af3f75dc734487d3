"""Labels from the local REST and SOAP carriers: bought on a button or on validation through Odoo's send_to_shipper,
attached to the delivery; a carrier failure leaves the delivery ready with the error and a Retry button."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestCarrierLabels(CarrierCase):
    def label_attachments(self, picking):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id), ("mimetype", "=", "application/pdf")]
        )

    def test_buying_a_label_attaches_the_pdf_and_sets_the_tracking_number(self):
        picking = self.delivery(carrier=self.rest)
        picking.action_oms_buy_label()
        self.assertEqual(picking.carrier_tracking_ref, "RST000001")
        self.assertEqual(picking.state, "assigned", "buying the label does not ship the delivery")
        label = self.label_attachments(picking)
        self.assertEqual(label.name, "LabelShipping-oms_rest-RST000001.pdf")
        self.assertTrue(label.raw.startswith(b"%PDF"))
        posted = picking.message_ids.filtered(lambda message: label in message.attachment_ids)
        self.assertIn("tracking number RST000001", posted.body)
        self.assertEqual(picking.carrier_price, 3.0)
        self.assertEqual(self.rest_server.shipments["RST000001"]["shipment"]["reference"], picking.name)
        self.assertEqual(picking.carrier_tracking_url, "https://track.example.com/rest/RST000001")

    def test_the_tracking_button_of_a_delivery_of_two_parcels_lists_each_parcels_page(self):
        picking = self.delivery(carrier=self.rest)
        picking.carrier_tracking_ref = "RST000001,RST000002"
        action = picking.open_website_url()
        self.assertEqual(action["name"], "Display tracking links", "a list of pages, not one broken page")
        listed = picking.message_ids[0].body
        self.assertIn('href="https://track.example.com/rest/RST000001"', listed)
        self.assertIn('href="https://track.example.com/rest/RST000002"', listed)

    def test_validating_a_delivery_buys_its_soap_label_and_waits_for_the_carrier_to_deliver(self):
        picking = self.delivery(carrier=self.soap)
        self.assertIs(self.validate(picking), True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_tracking_ref, "SOA000001")
        self.assertEqual(self.label_attachments(picking).name, "LabelShipping-oms_soap-SOA000001.pdf")
        self.assertEqual(self.soap_server.requests, ["CreateShipment"], "one label, bought once")
        self.assertFalse(picking.oms_delivered_date, "delivered when the carrier says so")
        self.assertEqual(picking.oms_tracking_status, "pending")
        self.assertEqual(picking.sale_id.oms_state, "shipped")

    def test_a_delivery_of_odoos_fixed_carrier_is_delivered_when_validated(self):
        picking = self.delivery(carrier=self.standard)
        self.validate(picking)
        self.assertEqual(picking.oms_delivered_date, picking.date_done)
        self.assertEqual(picking.sale_id.oms_state, "delivered")

    def test_a_failing_label_leaves_the_delivery_ready_with_the_error_and_retry_validates_it(self):
        picking = self.delivery(carrier=self.rest)
        self.rest_server.fail_next(1, 503, "maintenance")
        result = self.validate(picking)
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "danger")
        self.assertEqual(picking.state, "assigned", "still ready")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(self.label_attachments(picking))
        self.assertIn("answered 503 (maintenance)", picking.oms_carrier_error)
        self.assertTrue(picking.oms_carrier_error_on_validate)
        note = picking.message_ids[0].body
        self.assertIn("The delivery was not validated", note)
        self.assertIn("Parcel REST could not create the label of", note)
        self.assertIn("Retry", note)
        # The carrier is back: Retry buys the label and finishes the validation.
        picking.action_oms_retry_carrier()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_tracking_ref, "RST000001")
        self.assertFalse(picking.oms_carrier_error)
        self.assertTrue(self.label_attachments(picking))

    def test_a_carrier_timeout_on_validation_is_reported_the_same_way(self):
        picking = self.delivery(carrier=self.rest)
        self.rest_server.delay_next(1, 3.0)
        self.validate(picking)
        self.assertEqual(picking.state, "assigned")
        self.assertIn("did not answer the label request within 1 s", picking.oms_carrier_error)

    def test_a_soap_fault_on_buy_label_keeps_the_delivery_and_retry_buys_it(self):
        picking = self.delivery(carrier=self.soap)
        self.soap_server.fault_next(1, "Label printer jammed")
        result = picking.action_oms_buy_label()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("Label printer jammed", result["params"]["message"])
        self.assertIn("SOAP fault: Label printer jammed", picking.oms_carrier_error)
        self.assertFalse(picking.oms_carrier_error_on_validate)
        self.assertIn("The carrier could not create the label.", picking.message_ids[0].body)
        picking.action_oms_retry_carrier()
        self.assertEqual(picking.state, "assigned", "a label bought by hand does not validate the delivery")
        self.assertEqual(picking.carrier_tracking_ref, "SOA000001")
        self.assertFalse(picking.oms_carrier_error)

    def test_retry_while_the_carrier_still_fails_keeps_the_error(self):
        picking = self.delivery(carrier=self.rest)
        self.rest_server.fail_next(2, 500, "still down")
        self.validate(picking)
        result = picking.action_oms_retry_carrier()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertEqual(picking.state, "assigned")
        self.assertTrue(picking.oms_carrier_error_on_validate, "the next Retry still validates")

    def test_one_failing_delivery_does_not_undo_the_labels_of_the_others(self):
        good = self.delivery(carrier=self.soap)
        bad = self.delivery(carrier=self.rest)
        self.rest_server.fail_next(1, 500)
        (good | bad).action_oms_buy_label()
        self.assertEqual(good.carrier_tracking_ref, "SOA000001")
        self.assertFalse(good.oms_carrier_error)
        self.assertTrue(bad.oms_carrier_error)

    def test_buy_label_needs_an_oms_carrier_without_a_label(self):
        with self.assertRaises(UserError):
            self.delivery(carrier=self.standard).action_oms_buy_label()

    def test_a_shipment_is_cancelled_at_the_carrier(self):
        picking = self.delivery(carrier=self.rest)
        self.validate(picking)
        picking.cancel_shipment()
        self.assertEqual(self.rest_server.shipments["RST000001"]["status"], "cancelled")
        self.assertFalse(picking.carrier_tracking_ref)

    def test_a_refused_cancellation_says_why(self):
        picking = self.delivery(carrier=self.soap)
        self.validate(picking)
        self.soap_server.set_status("SOA000001", "delivered", "2026-12-01T10:00:00Z")
        with self.assertRaisesRegex(UserError, "Parcel SOAP could not cancel shipment SOA000001"):
            picking.cancel_shipment()

    def test_credentials_are_for_oms_managers_only_yet_users_ship_with_them(self):
        user = new_test_user(
            self.env,
            "carrier_oms_user",
            groups="stock.group_stock_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        manager = new_test_user(
            self.env,
            "carrier_oms_manager",
            groups="stock.group_stock_manager,oms_intelligent.group_oms_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        for field in ("oms_api_key", "oms_account", "oms_service_url"):
            with self.assertRaises(AccessError, msg=field):
                self.rest.with_user(user).read([field])
            self.assertNotIn(field, self.rest.with_user(user).fields_get())
        self.assertEqual(self.rest.with_user(manager).oms_api_key, "rest-key")
        with self.assertRaises(AccessError):
            self.rest.with_user(user).write({"oms_api_key": "stolen"})
        picking = self.delivery(carrier=self.rest)
        picking.with_user(user).action_oms_shop_rates()
        picking.with_user(user).action_oms_buy_label()
        self.assertEqual(picking.carrier_tracking_ref, "RST000001")
        self.assertFalse(any("rest-key" in (message.body or "") for message in picking.message_ids))
        quotes_text = " ".join(picking.oms_carrier_quote_ids.mapped(lambda quote: quote.error_message or ""))
        self.assertNotIn("rest-key", quotes_text)
        # A warehouse user without OMS rights validates a delivery of the SOAP carrier: label, notice, tracking.
        warehouse_user = new_test_user(
            self.env,
            "carrier_stock_user",
            groups="stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        other = self.delivery(carrier=self.soap)
        self.validate(other.with_user(warehouse_user))
        self.assertEqual((other.state, other.carrier_tracking_ref), ("done", "SOA000001"))
        self.assertTrue(self.env["mail.mail"].search([("model", "=", "stock.picking"), ("res_id", "=", other.id)]))

    def test_forms_open_for_oms_users_without_the_credentials(self):
        user = new_test_user(
            self.env,
            "carrier_view_user",
            groups="stock.group_stock_user,oms_intelligent.group_oms_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        manager = new_test_user(
            self.env,
            "carrier_view_manager",
            groups="stock.group_stock_manager,oms_intelligent.group_oms_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        carrier_form = self.env["delivery.carrier"].with_user(user).get_views([(False, "form")])["views"]["form"]
        self.assertIn("oms_transit_days", carrier_form["arch"])
        self.assertNotIn("oms_api_key", carrier_form["arch"])
        manager_form = self.env["delivery.carrier"].with_user(manager).get_views([(False, "form")])["views"]["form"]
        self.assertIn("oms_api_key", manager_form["arch"])
        picking_form = self.env["stock.picking"].with_user(user).get_views([(False, "form")])["views"]["form"]
        for name in ("action_oms_shop_rates", "action_oms_retry_carrier", "oms_carrier_quote_ids", "oms_eta"):
            self.assertIn(name, picking_form["arch"])
        quotes = self.env["oms.carrier.quote"].with_user(user)
        views = quotes.get_views([(False, "list"), (False, "pivot"), (False, "search")])["views"]
        self.assertEqual(set(views), {"list", "pivot", "search"})
        picking = self.delivery()
        picking.with_user(user).action_oms_shop_rates()
        self.assertEqual(len(quotes.search([("picking_id", "=", picking.id)])), 4)
