"""Sendcloud's parcel_status_changed webhook on Odoo's HTTP server: a signed status moves the delivery, a bad
signature or another carrier's URL changes nothing, an older status than the one known is ignored."""

import hashlib
import hmac
import json

from odoo.addons.oms_fulfillment.stand_ins.sendcloud import FIXTURES, LocalSendcloud
from odoo.tests import HttpCase, tagged

from .common import CarrierCase

SECRET = "oms-sendcloud-webhook-test-secret"


@tagged("post_install", "-at_install")
class TestSendcloudWebhook(CarrierCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sendcloud = cls.env["delivery.carrier"].create(
            {
                "name": "Sendcloud Webhook Test",
                "delivery_type": "oms_sendcloud",
                "product_id": cls._shipping_product("Sendcloud Webhook Test").id,
                "oms_timeout": 1.0,
                "oms_webhook_key": SECRET,
                "oms_default_package_type_id": cls.env.ref("oms_fulfillment.package_type_box_s").id,
            }
        )

    def setUp(self):
        super().setUp()
        self.server = self.enterContext(LocalSendcloud())
        self.sendcloud.write(
            {
                "oms_api_key": self.server.public_key,
                "oms_api_secret": self.server.secret_key,
                "oms_service_url": self.server.url,
            }
        )
        self.picking = self.delivery(carrier=self.sendcloud)
        self.assertIs(self.validate(self.picking), True, self.picking.oms_carrier_error)
        self.assertEqual(self.picking.oms_tracking_status, "pending")

    def body(self, name="webhook_parcel_status_changed_delivered.json"):
        payload = json.loads((FIXTURES / name).read_text())
        payload["parcel"]["tracking_number"] = self.picking.carrier_tracking_ref
        return json.dumps(payload, separators=(",", ":")).encode()

    def post(self, body, secret=SECRET, carrier=None):
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        response = self.url_open(
            f"/oms/carrier/sendcloud/{(carrier or self.sendcloud).id}",
            data=body,
            headers={"Content-Type": "application/json", "Sendcloud-Signature": signature},
        )
        self.picking.invalidate_recordset()
        return response

    def test_a_signed_delivered_status_delivers_the_delivery(self):
        response = self.post(self.body())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["deliveries"], [self.picking.name])
        self.assertEqual(self.picking.oms_tracking_status, "delivered")
        self.assertTrue(self.picking.oms_delivered_date)
        self.assertIn("delivered the shipment", self.picking.message_ids[0].body)

    def test_a_bad_signature_changes_nothing(self):
        response = self.post(self.body(), secret="not-the-key")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.picking.oms_tracking_status, "pending")

    def test_another_carriers_url_is_refused(self):
        response = self.post(self.body(), carrier=self.rest)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.picking.oms_tracking_status, "pending")

    def test_an_older_status_than_the_one_known_is_ignored(self):
        self.post(self.body())
        self.picking.write({"oms_delivered_date": False, "oms_tracking_status": "in_transit"})
        response = self.post(self.body("webhook_parcel_status_changed_in_transit.json"))
        self.assertEqual(response.json()["deliveries"], [])
        self.assertEqual(self.picking.oms_tracking_status, "in_transit")

    def test_the_secret_key_signs_when_there_is_no_webhook_key(self):
        self.sendcloud.oms_webhook_key = False
        response = self.post(self.body(), secret=self.server.secret_key)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.picking.oms_tracking_status, "delivered")
